import { countBarsLabel } from './count-bars';

describe('countBarsLabel: a count chart said in words', () => {
  const series = [
    { name: 'on time', data: [3, 0] },
    { name: 'late', data: [1, 2] },
  ];

  it('says the title, then each category with every measure in the order given', () => {
    expect(countBarsLabel('By unit', ['Sales', 'Support'], series, (name, count) => `${name} ${count}`)).toBe(
      'By unit: Sales: on time 3, late 1; Support: on time 0, late 2',
    );
  });

  it('puts each count in the words the screen chooses', () => {
    expect(countBarsLabel('Deliveries', ['10:00'], series, (name, count) => `${count} ${name}`)).toBe(
      'Deliveries: 10:00: 3 on time, 1 late',
    );
  });
});
