'use client';
// Under a form: the server's refusal as it said it, or what was saved. Test
// ids: `<prefix>-error`, `<prefix>-done`.
import type { ReactNode } from 'react';

export function FormStatus({ prefix, error, done }: { prefix: string; error: string | null; done: ReactNode }) {
  return (
    <>
      {error && (
        <p className="form-error" role="alert" data-testid={`${prefix}-error`}>
          {error}
        </p>
      )}
      {done && (
        <p className="form-ok" role="status" data-testid={`${prefix}-done`}>
          {done}
        </p>
      )}
    </>
  );
}
