import AutoCoder
import AutoCoderLLM
import Testing

@Suite struct PriceTableTests {
    @Test func theLongestPrefixWins() {
        #expect(
            PriceTable.pricing(model: "gpt-4o-mini-2024-07-18")
                == Pricing(input: 0.15, output: 0.60))
        #expect(PriceTable.pricing(model: "gpt-4o-2024-08-06") == Pricing(input: 2.50, output: 10))
        #expect(
            PriceTable.pricing(model: "claude-opus-4-5-20251101")
                == Pricing(input: 5, output: 25))
        #expect(
            PriceTable.pricing(model: "claude-opus-4-1-20250805")
                == Pricing(input: 15, output: 75))
        #expect(
            PriceTable.pricing(model: "claude-sonnet-4-5-20250929")
                == Pricing(input: 3, output: 15))
    }

    @Test func unknownModelsHaveNoListPrice() {
        #expect(PriceTable.pricing(model: "my-finetune") == nil)
        #expect(PriceTable.pricing(model: "smollm2-135m-instruct") == nil)
    }
}
