import { randomInt } from 'node:crypto';
import { escapeLiteral } from 'pg';
import { sqlLiteral } from './sql-literal.js';

describe('sqlLiteral', () => {
  it("is what pg's escapeLiteral makes of any string", () => {
    const pieces = ["'", '\\', '"', 'a', ' ', '\n', 'é', '😀', "''", '\\\\', '{"a":"b\\"c"}'];
    for (let i = 0; i < 5000; i++) {
      let text = '';
      for (let n = randomInt(0, 20); n > 0; n--) text += pieces[randomInt(pieces.length)];
      expect(sqlLiteral(text)).toBe(escapeLiteral(text));
    }
  });

  it('quotes and escapes so the value cannot end the literal early', () => {
    expect(sqlLiteral("x'); DROP TABLE audit_events; --")).toBe("'x''); DROP TABLE audit_events; --'");
    expect(sqlLiteral("a\\'b")).toBe(" E'a\\\\''b'");
  });
});
