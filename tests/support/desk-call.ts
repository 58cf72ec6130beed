/** The value of a desk call, or its Vietnamese error message thrown: keeps tests about behaviour, not plumbing. */
export async function value<T>(
  result: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
) {
  const r = await result;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
