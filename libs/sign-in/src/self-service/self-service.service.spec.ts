import { registrationInputProblem } from './self-service.service.js';

describe('registrationInputProblem', () => {
  it.each([
    ['alice', 'alice@example.com'],
    ['a.b_c+d@e-f', 'a.b+tag@sub.example.org'],
  ])('accepts %s / %s', (username, email) => {
    expect(registrationInputProblem(username, email)).toBeUndefined();
  });

  it.each([
    ['', 'a@example.com', 'username'],
    ['has space', 'a@example.com', 'username'],
    ['x'.repeat(129), 'a@example.com', 'username'],
    ['alice', 'not-an-email', 'email'],
    ['alice', 'a@localhost', 'email'],
    ['alice', 'a b@example.com', 'email'],
    ['alice', `${'x'.repeat(320)}@example.com`, 'email'],
    ['alice', '<a@example.com>', 'email'],
  ])('refuses %j / %j (%s)', (username, email, which) => {
    expect(registrationInputProblem(username, email)).toMatch(which === 'email' ? /email/ : /username/);
  });
});
