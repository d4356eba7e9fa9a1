/**
 * A number JSON may write back longer: one with an exponent (`1e20`), or an integer of 16 digits or
 * more, which a double may round up to the next power of ten (`9999999999999999` comes back as
 * `10000000000000000`); or text that looks like one: a value starts after `:`, `,` or `[`; inside a
 * string the look-alike only makes the bound unknown. (One pattern with `^|` as well scans a body
 * about 40 % slower: the text's start has a test of its own.)
 */
const LONGER_NUMBER = /[:,[]\s*-?(?:\d+(?:\.\d+)?[eE]|\d{16})/;
const NUMBER_FIRST = /^\s*-?\d/;

/**
 * At least the UTF-8 length of `JSON.stringify(m)` for every message `m` parsed out of the JSON
 * `text`, or undefined when the text cannot say. `JSON.stringify` writes a parsed value in no more
 * bytes than its source: it drops white space, writes each character as sent or shorter (`\u00e9`
 * becomes é), and each number in its shortest form, except a number sent with an exponent, which
 * it may write out in full (`1e20` is 21 digits), and an integer too long for a double, which may round
 * up to one digit more. A message is a part of the text, so, exponents
 * aside, the text's own byte length bounds every message in it: the collector's size check then
 * needs no `JSON.stringify` per event. The text is the decoded body: bytes that are not UTF-8 have
 * become U+FFFD (3 bytes each) and are counted as such.
 *
 * @example
 * messageBytesBound('{"event":"é"}') // 14
 * messageBytesBound('{"n":1e20}') // undefined
 * messageBytesBound('{"n":9999999999999999}') // undefined
 */
export function messageBytesBound(text: string): number | undefined {
  return NUMBER_FIRST.test(text) || LONGER_NUMBER.test(text) ? undefined : Buffer.byteLength(text);
}
