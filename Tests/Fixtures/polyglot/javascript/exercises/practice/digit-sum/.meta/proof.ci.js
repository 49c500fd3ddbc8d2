export const digitSum = (n) => [...String(n)].reduce((sum, d) => sum + Number(d), 0);
