// Call sites of a function image and how each call's result is used.
import type { SyntaxNode } from './parser.ts';
import type { CallSite } from './types.ts';
import { isMarkerCall } from './markers.ts';

const CONDITION_OWNERS = new Set(['if_statement', 'while_statement', 'do_statement', 'switch_statement']);

const isConditionOf = (owner: SyntaxNode, child: SyntaxNode): boolean =>
  owner.childForFieldName('condition')?.id === child.id;

/** How the value of `call` is used, looking through parentheses (and, for conditions, operators). */
export function useOf(call: SyntaxNode): CallSite['use'] {
  let n = call;
  let throughOperator = false;
  for (;;) {
    const p = n.parent;
    if (!p) return 'other';
    if (CONDITION_OWNERS.has(p.type) || p.type === 'for_statement') {
      return isConditionOf(p, n) ? 'condition' : 'other';
    }
    if (p.type === 'conditional_expression' && isConditionOf(p, n)) return 'condition';
    switch (p.type) {
      case 'parenthesized_expression':
        n = p;
        continue;
      case 'unary_expression':
      case 'binary_expression':
        throughOperator = true;
        n = p;
        continue;
      case 'cast_expression':
        // `(void)f();` discards the result on purpose; it is still dropped.
        if (/^\(\s*void\s*\)/.test(p.text) && p.parent?.type === 'expression_statement') return 'dropped';
        n = p;
        continue;
      default:
        break;
    }
    if (throughOperator) return 'other';
    switch (p.type) {
      case 'expression_statement':
        return 'dropped';
      case 'return_statement':
        return 'returned';
      case 'argument_list':
        return 'argument';
      case 'init_declarator':
        return 'assigned';
      case 'assignment_expression':
        return p.childForFieldName('right')?.id === n.id ? 'assigned' : 'other';
      default:
        return 'other';
    }
  }
}

export function collectCalls(node: SyntaxNode, lineMap: readonly number[]): CallSite[] {
  const calls: CallSite[] = [];
  for (const call of node.descendantsOfType('call_expression')) {
    const fn = call.childForFieldName('function');
    if (!fn) continue;
    const callee = fn.text.replace(/\s+/g, '');
    if (isMarkerCall(callee)) continue;
    const line = lineMap[call.startPosition.row] ?? 0;
    if (line === 0) continue;
    calls.push({
      callee,
      line,
      column: call.startPosition.column + 1,
      text: call.text.replace(/\s+/g, ' ').trim(),
      use: useOf(call),
    });
  }
  return calls;
}
