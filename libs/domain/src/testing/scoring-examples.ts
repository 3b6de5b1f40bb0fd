/**
 * DOMAIN.md's worked example: the sales department's one month as the actuals HR files, by
 * indicator (sales 950 of 1,000, receivables 2.2 days, inventory 450, product mix 330 of 400).
 */
export const workedMonth = { sales_volume: '950', receivables: '2.2', inventory: '450', product_mix: '330' };
