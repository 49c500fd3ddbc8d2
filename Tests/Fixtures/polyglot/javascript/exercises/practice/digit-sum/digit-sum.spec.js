import { digitSum } from './digit-sum';

describe('digit sum', () => {
  test('zero', () => {
    expect(digitSum(0)).toEqual(0);
  });

  xtest('many digits', () => {
    expect(digitSum(90817)).toBe(25);
  });
});
