import { describe, expect, it } from 'vitest';
import { visitorCountry } from './visitor-country.ts';

describe('visitorCountry', () => {
  it('prefers the deployment\'s country header, then the first Accept-Language tag with a country', () => {
    expect(visitorCountry({ 'x-country': 'jp', 'accept-language': 'en-US' }, 'x-country')).toBe('JP');
    expect(visitorCountry({ 'cf-ipcountry': 'US' }, 'CF-IPCountry')).toBe('US');
    expect(visitorCountry({ 'accept-language': 'fr, ja-JP;q=0.8, en-US;q=0.5' }, 'x-country')).toBe('JP');
    expect(visitorCountry({ 'accept-language': 'zh-Hant-TW' }, 'x-country')).toBe('TW');
  });

  it('names no country for a malformed hint and a language alone', () => {
    expect(visitorCountry({ 'x-country': 'XX1', 'accept-language': 'en' }, 'x-country')).toBeUndefined();
    expect(visitorCountry({ 'accept-language': 'es-419' }, 'x-country')).toBeUndefined();
    expect(visitorCountry({}, 'x-country')).toBeUndefined();
  });
});
