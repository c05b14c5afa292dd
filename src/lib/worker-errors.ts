// Comlink error transport shared by every worker: its default handler keeps an error's name and message
// only; this keeps `code` too, so the UI can say "the model failed" rather than "something went wrong".
// The client side (comlink's default deserializer) copies every field back.
import { transferHandlers } from 'comlink';

/** Call once at the top of a worker entry point, before `expose(api)`. */
export function keepErrorCodes(): void {
  const defaultThrow = transferHandlers.get('throw')!;
  transferHandlers.set('throw', {
    canHandle: defaultThrow.canHandle,
    serialize(wrapped: unknown) {
      const value = (wrapped as { value: unknown }).value;
      if (value instanceof Error || (value && typeof value === 'object' && 'message' in value)) {
        const e = value as { name?: string; message?: string; code?: string };
        return [{ isError: true, value: { name: e.name ?? 'Error', message: String(e.message ?? ''), code: e.code } }, []];
      }
      return defaultThrow.serialize(wrapped);
    },
    deserialize: defaultThrow.deserialize,
  });
}
