function isBalanced(text) {
  const closing = { ')': '(', ']': '[', '}': '{' };
  const stack = [];
  for (const character of text) {
    if ('([{'.includes(character)) stack.push(character);
    else if (character in closing && stack.pop() !== closing[character]) return false;
  }
  return stack.length === 0;
}

module.exports = { isBalanced };
