const test = require('node:test');
const assert = require('node:assert');
const { wordFrequency } = require('./solution');

test('counts words regardless of case', () => {
  assert.deepStrictEqual(wordFrequency('Go go GO'), new Map([['go', 3]]));
});

test('ignores punctuation and keeps apostrophes', () => {
  assert.deepStrictEqual(wordFrequency("It's a dog, a dog!"), new Map([["it's", 1], ['a', 2], ['dog', 2]]));
});

test('no words is an empty map', () => {
  assert.deepStrictEqual(wordFrequency(' 42 ... '), new Map());
});
