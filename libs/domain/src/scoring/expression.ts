import jsep from 'jsep';
import type Decimal from 'decimal.js';
import { Dec, dec, sum } from './decimal';

/**
 * The small, safe expression language of formulas: parsed by jsep, evaluated here over exact
 * decimals, never `eval`. Numbers, identifiers, + - * /, unary -, comparisons, && || !, `a ? b : c`,
 * and the functions sum, min, max, avg, if(cond, then, else), abs, round(x, places).
 * Comparisons and logic yield 1 or 0.
 */
export type Expression = jsep.Expression;

export const FUNCTIONS = ['sum', 'min', 'max', 'avg', 'if', 'abs', 'round'] as const;
const BINARY = new Set(['+', '-', '*', '/', '>', '<', '>=', '<=', '==', '!=', '&&', '||']);

export class ExpressionError extends Error {
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

export function parseExpression(source: string): Expression {
  let ast: Expression;
  try {
    ast = jsep(source);
  } catch (error) {
    throw new ExpressionError('formula-syntax', `cannot parse: ${(error as Error).message}`);
  }
  check(ast);
  return ast;
}

function check(node: Expression): void {
  switch (node.type) {
    case 'Literal':
      if (typeof node.value !== 'number')
        throw new ExpressionError('formula-literal', `only numbers are allowed, not ${String(node.raw)}`);
      return;
    case 'Identifier':
      return;
    case 'UnaryExpression':
      if (node.operator !== '-' && node.operator !== '!' && node.operator !== '+')
        throw new ExpressionError('formula-operator', `operator "${String(node.operator)}" is not allowed`);
      return check(node.argument as Expression);
    case 'BinaryExpression':
      if (!BINARY.has(node.operator as string))
        throw new ExpressionError('formula-operator', `operator "${String(node.operator)}" is not allowed`);
      check(node.left as Expression);
      return check(node.right as Expression);
    case 'ConditionalExpression':
      check(node.test as Expression);
      check(node.consequent as Expression);
      return check(node.alternate as Expression);
    case 'CallExpression': {
      const callee = node.callee as Expression;
      const name = callee.type === 'Identifier' ? (callee.name as string) : '';
      if (!(FUNCTIONS as readonly string[]).includes(name))
        throw new ExpressionError(
          'formula-function',
          `unknown function "${name || callee.type}"; allowed: ${FUNCTIONS.join(', ')}`,
        );
      const args = node.arguments as Expression[];
      if (args.length === 0)
        throw new ExpressionError('formula-arity', `${name}() needs at least one argument`);
      if (name === 'if' && args.length !== 3)
        throw new ExpressionError('formula-arity', 'if(condition, then, else) takes 3 arguments');
      if (name === 'abs' && args.length !== 1)
        throw new ExpressionError('formula-arity', 'abs(x) takes 1 argument');
      if (name === 'round' && args.length !== 2)
        throw new ExpressionError('formula-arity', 'round(x, places) takes 2 arguments');
      args.forEach(check);
      return;
    }
    default:
      throw new ExpressionError('formula-construct', `"${node.type}" is not allowed in a formula`);
  }
}

/** The identifiers a formula reads (function names excluded). */
export function identifiersOf(node: Expression, found = new Set<string>()): Set<string> {
  switch (node.type) {
    case 'Identifier':
      found.add(node.name as string);
      break;
    case 'UnaryExpression':
      identifiersOf(node.argument as Expression, found);
      break;
    case 'BinaryExpression':
      identifiersOf(node.left as Expression, found);
      identifiersOf(node.right as Expression, found);
      break;
    case 'ConditionalExpression':
      identifiersOf(node.test as Expression, found);
      identifiersOf(node.consequent as Expression, found);
      identifiersOf(node.alternate as Expression, found);
      break;
    case 'CallExpression':
      (node.arguments as Expression[]).forEach((arg) => identifiersOf(arg, found));
      break;
  }
  return found;
}

const truth = (value: Decimal) => (value.isZero() ? dec(0) : dec(1));
const bool = (value: boolean) => dec(value ? 1 : 0);

/** Evaluates a checked expression; an unknown identifier or a division by zero is an ExpressionError. */
export function evaluate(node: Expression, variables: Record<string, Decimal>): Decimal {
  switch (node.type) {
    case 'Literal':
      return dec(String(node.raw));
    case 'Identifier': {
      const name = node.name as string;
      if (!Object.prototype.hasOwnProperty.call(variables, name))
        throw new ExpressionError('formula-unknown-identifier', `"${name}" has no value`);
      return variables[name];
    }
    case 'UnaryExpression': {
      const value = evaluate(node.argument as Expression, variables);
      if (node.operator === '-') return value.negated();
      if (node.operator === '!') return bool(value.isZero());
      return value;
    }
    case 'BinaryExpression': {
      const left = evaluate(node.left as Expression, variables);
      if (node.operator === '&&')
        return left.isZero() ? dec(0) : truth(evaluate(node.right as Expression, variables));
      if (node.operator === '||')
        return left.isZero() ? truth(evaluate(node.right as Expression, variables)) : dec(1);
      const right = evaluate(node.right as Expression, variables);
      switch (node.operator) {
        case '+':
          return left.plus(right);
        case '-':
          return left.minus(right);
        case '*':
          return left.times(right);
        case '/':
          if (right.isZero()) throw new ExpressionError('formula-division-by-zero', 'division by zero');
          return left.dividedBy(right);
        case '>':
          return bool(left.greaterThan(right));
        case '<':
          return bool(left.lessThan(right));
        case '>=':
          return bool(left.greaterThanOrEqualTo(right));
        case '<=':
          return bool(left.lessThanOrEqualTo(right));
        case '==':
          return bool(left.equals(right));
        default:
          return bool(!left.equals(right));
      }
    }
    case 'ConditionalExpression':
      return evaluate(node.test as Expression, variables).isZero()
        ? evaluate(node.alternate as Expression, variables)
        : evaluate(node.consequent as Expression, variables);
    case 'CallExpression': {
      const name = (node.callee as Expression).name as string;
      const args = node.arguments as Expression[];
      if (name === 'if')
        return evaluate(args[0], variables).isZero()
          ? evaluate(args[2], variables)
          : evaluate(args[1], variables);
      const values = args.map((arg) => evaluate(arg, variables));
      switch (name) {
        case 'sum':
          return sum(values);
        case 'min':
          return Dec.min(...values);
        case 'max':
          return Dec.max(...values);
        case 'avg':
          return sum(values).dividedBy(values.length);
        case 'abs':
          return values[0].abs();
        default:
          return values[0].toDecimalPlaces(values[1].toNumber(), Dec.ROUND_HALF_UP);
      }
    }
    default:
      throw new ExpressionError('formula-construct', `"${node.type}" is not allowed in a formula`);
  }
}

/** Parses and evaluates in one go (formulas are short; callers may cache `parseExpression`). */
export function evaluateFormula(source: string, variables: Record<string, Decimal>): Decimal {
  return evaluate(parseExpression(source), variables);
}
