const numerals = [[1000, 'M'], [500, 'D'], [100, 'C'], [50, 'L'], [10, 'X'], [5, 'V'], [1, 'I']];

function toRoman(number) {
  let result = '';
  for (const [value, numeral] of numerals) {
    while (number >= value) {
      result += numeral;
      number -= value;
    }
  }
  return result;
}

module.exports = { toRoman };
