import Foundation

/// Server-sent event bodies as the real APIs write them.
public enum StreamText {
    public static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    /// A Chat Completions stream of `pieces`, a finish reason, optionally the usage chunk, and `[DONE]`.
    public static func openAI(
        _ pieces: [String], finish: String = "stop", usage: (Int, Int)? = (12, 34), done: Bool = true
    )
        -> String
    {
        var text = ""
        for piece in pieces {
            text +=
                #"data: {"id":"c1","choices":[{"index":0,"delta":{"content":\#(quoted(piece))},"finish_reason":null}]}"#
                + "\n\n"
        }
        text += #"data: {"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"\#(finish)"}]}"# + "\n\n"
        if let (prompt, completion) = usage {
            text +=
                #"data: {"id":"c1","choices":[],"usage":{"prompt_tokens":\#(prompt),"completion_tokens":\#(completion)}}"#
                + "\n\n"
        }
        if done { text += "data: [DONE]\n\n" }
        return text
    }

    /// A Messages stream of `pieces`, with the usage Anthropic reports at the start and the end.
    public static func anthropic(_ pieces: [String], input: Int = 21, output: Int = 43) -> String {
        var text = """
            event: message_start
            data: {"type":"message_start","message":{"id":"m1","usage":{"input_tokens":\(input),"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type": "ping"}


            """
        for piece in pieces {
            text += "event: content_block_delta\n"
            text +=
                #"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":\#(quoted(piece))}}"#
                + "\n\n"
        }
        text += """
            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":\(output)}}

            event: message_stop
            data: {"type":"message_stop"}


            """
        return text
    }

    /// The reply every provider test asks for: a fenced Python file with non-ASCII text in it.
    public static let solutionReply =
        "Here it is:\n\n```python\ndef greet(name):\n    return f\"héllo {name} 🚀\"\n```\n"
    public static let solutionPieces = [
        "Here it is:\n\n```py", "thon\ndef greet(name):\n", "    return f\"hé", "llo {name} 🚀\"\n```\n",
    ]
}
