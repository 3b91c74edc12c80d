/** `checked 37/200 hosts`: one line on a terminal, rewritten in place as hosts finish, and erased at the end. */

export interface ProgressLine {
  update(done: number, total: number): void;
  end(): void;
}

export function progressLine(out: { write(s: string): unknown }): ProgressLine {
  let shown = false;
  return {
    update(done, total) {
      out.write(`\r\x1b[2Kchecked ${done}/${total} hosts`);
      shown = true;
    },
    end() {
      if (shown) out.write('\r\x1b[2K');
      shown = false;
    },
  };
}
