import { Remembered } from './remembered';

describe('Remembered', () => {
  it('keeps at most its capacity and at least the newest half of it', () => {
    const remembered = new Remembered<number>(10);
    for (let n = 0; n < 37; n += 1) remembered.set(`k${n}`, n);
    expect(remembered.size).toBeLessThanOrEqual(10);
    for (let n = 32; n < 37; n += 1) expect(remembered.get(`k${n}`)).toBe(n);
    expect(remembered.has('k0')).toBe(false);
    expect(remembered.get('k0')).toBeUndefined();
  });

  it('keeps a key it is asked for, however old, as if it were new', () => {
    const remembered = new Remembered<string>(4);
    remembered.set('kept', 'yes');
    for (let n = 0; n < 20; n += 1) {
      remembered.set(`k${n}`, 'filler');
      expect(remembered.get('kept')).toBe('yes');
    }
  });
});
