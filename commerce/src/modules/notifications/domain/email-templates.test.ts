import { describe, expect, it } from 'vitest';
import { formatMoney } from './money-format.ts';
import { renderOrderConfirmation } from './order-confirmation.template.ts';
import { renderPaymentFailed } from './payment-failed.template.ts';
import { renderShipped } from './shipped.template.ts';

const evil = '<script>alert("x")</script>';

describe('email templates', () => {
  it('formats minor units with each currency its own decimals', () => {
    expect(formatMoney(1999, 'EUR', 'en-GB')).toBe('€19.99');
    expect(formatMoney(1999, 'JPY', 'en-GB')).toBe('JP¥1,999');
    expect(formatMoney(1999, 'KWD', 'en-GB')).toMatch(/^KWD\s1\.999$/);
    expect(formatMoney(5, 'USD', 'en-US')).toBe('$0.05');
  });

  it('renders the order confirmation in text and HTML with escaped product names', () => {
    const email = renderOrderConfirmation({
      orderId: 'ord_1',
      customerName: 'Ada & Co',
      currency: 'EUR',
      lines: [{ name: evil, quantity: 2, lineTotalMinor: 3998 }],
      subtotalMinor: 3998,
      shippingMinor: 490,
      totalMinor: 4488,
    });
    expect(email.subject).toBe('Order ord_1 confirmed');
    expect(email.text).toContain(`2 x ${evil}  €39.98`);
    expect(email.text).toContain('Total:    €44.88');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(email.html).toContain('Ada &amp; Co');
    expect(email.html).toContain('€44.88');
  });

  it('shows each promotion with its code and what it took off, and the tax, included or added', () => {
    const email = renderOrderConfirmation({
      orderId: 'ord_3',
      customerName: 'Grace',
      currency: 'EUR',
      lines: [{ name: 'Mug', quantity: 2, lineTotalMinor: 2700 }],
      subtotalMinor: 2700,
      shippingMinor: 500,
      promotions: [{ name: 'Welcome: 10% off', code: 'WELCOME10', amountMinor: 270 }],
      taxMinor: 212,
      taxInclusive: false,
      totalMinor: 3142,
    });
    expect(email.text).toContain('Discount: Welcome: 10% off (WELCOME10): -€2.70');
    expect(email.text).toContain('Tax: €2.12');
    expect(email.html).toContain('-€2.70');
    const inclusive = renderOrderConfirmation({ orderId: 'o', customerName: 'A', currency: 'JPY', lines: [], subtotalMinor: 2000, shippingMinor: 0, totalMinor: 2000, taxMinor: 182, taxInclusive: true });
    expect(inclusive.text).toContain('Tax included: JP¥182');
  });

  it('renders payment failed with the reason escaped and only http(s) retry links', () => {
    const email = renderPaymentFailed({ orderId: 'ord_2', customerName: evil, totalMinor: 1000, currency: 'GBP', reason: 'Declined <b>', retryUrl: 'javascript:alert(1)' });
    expect(email.subject).toBe('Payment for order ord_2 failed: the order is cancelled');
    expect(email.text).toContain('£10.00');
    expect(email.html).not.toMatch(/<script>|<b>|javascript:/);
    expect(email.html).toContain('href="#"');
    expect(renderPaymentFailed({ orderId: 'o', customerName: 'c', totalMinor: 1, currency: 'EUR', reason: 'r', retryUrl: 'https://shop.test/pay?o=1&x=2' }).html).toContain(
      'href="https://shop.test/pay?o=1&amp;x=2"',
    );
  });

  it('renders shipped with carrier and tracking number, and keeps subjects on one line', () => {
    const email = renderShipped({ orderId: 'ord_3\r\nBcc: victim@example.com', customerName: 'Bo', carrier: 'sandbox-post', trackingNumber: 'SBX123', trackingUrl: 'https://track.test/SBX123' });
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text).toContain('Tracking number: SBX123');
    expect(email.html).toContain('<a href="https://track.test/SBX123">');
    expect(renderShipped({ orderId: 'o', customerName: evil, carrier: evil, trackingNumber: evil }).html).not.toContain('<script>');
  });
});
