import { defineRule } from '../../src/review/rule.ts';
import type { SyntaxNode } from '../../src/c/parser.ts';
import { descendants, fold, isMarkerStatement, statementsOf } from '../../src/review/ast.ts';
import { calleeName, resultUse, testsValue } from '../../src/review/calls.ts';
import { replacedBy } from '../../src/review/patch-lines.ts';
import { controlHead, styleFor } from '../../src/review/fix-check.ts';
import type { FunctionContext } from '../../src/review/context.ts';
import { modelFor } from '../../src/sim/index.ts';
import { SEED_THREAD } from './source.ts';

/**
 * The return carries the result of a call the patch adds (`rc = f(...); return rc;` or `return f(...);`): only
 * such a return is new error handling. A plain `return;`, an errno, a protocol value (`X86EMUL_RETRY`), any
 * other constant, or the result of a call the function already made is a deliberate answer of the function,
 * which this rule does not question.
 */
function carriedResult(ctx: FunctionContext, r: SyntaxNode): { value: string; call: SyntaxNode } | null {
  const value = r.namedChild(0);
  if (!value) return null;
  if (value.type === 'call_expression') return ctx.isAdded(value) && !constantMacro(value) && !errorPointerPlumbing(value) ? { value: fold(value.text), call: value } : null;
  if (value.type !== 'identifier') return null;
  let found: SyntaxNode | null = null;
  for (const call of descendants(ctx.post.node, 'call_expression')) {
    const use = resultUse(call);
    if (use.kind === 'assigned' && use.variable === value.text && use.statement.endIndex <= r.startIndex) found = call;
  }
  return found && ctx.isAdded(found) ? { value: value.text, call: found } : null;
}

/**
 * The returned call hands back an error constant it is given (`return log_msg_ret("part", -EFBIG);`,
 * `return log_err(TEE_ERROR_BAD_FORMAT);`): a logging or wrapping of a failure the function chose, not the
 * result of work that could have succeeded.
 */
function wrapsErrorConstant(call: SyntaxNode): boolean {
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  return args.some((a) => /^-\s*\(?\s*E[A-Z0-9_]+\s*\)?$|^[A-Z][A-Z0-9]*_ERR(?:OR)?_[A-Z0-9_]+$/.test(fold(a.text)));
}

/**
 * A branch that dispatches to a callee the function did not call before the patch (`else if ( is_x(fid) )
 * return x_handler(..);`): the patch gives that branch its answer; it does not cut short work that used to run
 * after the call, which is what a return added for error handling does.
 */
function newDispatch(ctx: FunctionContext, r: SyntaxNode, callee: string): boolean {
  let inIf = false;
  for (let n: SyntaxNode | null = r.parent; n && n.type !== 'function_definition'; n = n.parent) if (n.type === 'if_statement') inIf = true;
  if (!inIf || !ctx.pre) return false;
  for (const call of descendants(ctx.pre.node, 'call_expression')) if (calleeName(call) === callee) return false;
  return true;
}

/** An all-caps macro of constants (`LOWER_ATTRS(EL3_S1_NSE | NS)`, `BIT(3)`): a value, not a call's result. */
function constantMacro(call: SyntaxNode): boolean {
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  return /^[A-Z][A-Z0-9_]*$/.test(calleeName(call)) && args.every((a) => /^[A-Z0-9_x|&<>()~\s+-]*$/.test(a.text) && !/\w\s*\(/.test(a.text));
}

/** `return PTR_ERR(p);` / `return ERR_PTR(-E..);`: the error an error pointer carries, or a new one; never work. */
function errorPointerPlumbing(call: SyntaxNode): boolean {
  const kind = modelFor(calleeName(call))?.behaviour.kind;
  return kind === 'ptr-err' || kind === 'err-ptr';
}

/** The change block the return belongs to already returned (or broke out) before the patch: only the value changed. */
function replacedAnExit(ctx: FunctionContext, r: SyntaxNode): boolean {
  return replacedBy(ctx, ctx.lineOf(r)).some((t) => /^\s*(return\b|break\s*;|goto\b|case\b|default\s*:)/.test(t) || /[;{]\s*return\b/.test(t));
}

/** A return that ends a switch arm: the arm's answer, not a skip of code after it. */
function endsSwitchArm(r: SyntaxNode): boolean {
  let n: SyntaxNode = r;
  while (n.parent && n.parent.type === 'compound_statement' && n.parent.parent?.type !== 'function_definition') n = n.parent;
  return n.parent?.type === 'case_statement' || r.parent?.type === 'case_statement';
}

/** `if ( rc ) ... return rc;`: returning only when the value says failure is the right shape. */
function isGuardedByItsValue(r: SyntaxNode, value: string): boolean {
  for (let n: SyntaxNode | null = r.parent; n && n.type !== 'function_definition'; n = n.parent) {
    if (n.type === 'if_statement') return testsValue(n.childForFieldName('condition'), value);
  }
  return false;
}

/** The function's last statement (only unseen code after it): the new final `return 0;` of a former void function. */
function isFinalReturn(r: SyntaxNode): boolean {
  if (r.parent?.parent?.type !== 'function_definition') return false;
  const list = statementsOf(r.parent);
  return list.slice(list.findIndex((s) => s.id === r.id) + 1).every(isMarkerStatement);
}

export default defineRule({
  scope: 'function',
  meta: {
    id: 'success-path-return',
    pack: 'error-handling',
    family: 'success-path-change',
    severity: 'error',
    summary: 'A return added for error handling also returns when nothing failed, skipping code that used to run.',
    source: {
      ...SEED_THREAD,
      quote: 'looks you return absolutely regardless of error check. There are still some useful code after this point...',
    },
    messages: {
      returnsEarly:
        'This `return {{value}};` runs even when {{callee}}() succeeded, so the code after it no longer runs on success. Return only on failure (`{{test}} return {{value}};`).',
      returnsCallEarly:
        'This returns the result of {{callee}}() even when it succeeded, so the code after it no longer runs on success. Keep the result in a variable and return only on failure.',
    },
    fixable: false,
    limitations: 'Compares the visible pre- and post-image; code the patch does not show is taken as unknown but the same on both sides.',
  },
  detect(ctx) {
    if (!ctx.pre) return [];
    const out = [];
    for (const r of descendants(ctx.post.node, 'return_statement')) {
      if (!ctx.isAdded(r) || isFinalReturn(r) || endsSwitchArm(r) || replacedAnExit(ctx, r)) continue;
      const carried = carriedResult(ctx, r);
      // `return f(...);` inside f(): a recursive step hands back its own answer, it does not skip a success path.
      if (carried && calleeName(carried.call) === ctx.fn.name) continue;
      if (carried && (wrapsErrorConstant(carried.call) || newDispatch(ctx, r, calleeName(carried.call)))) continue;
      if (carried && !isGuardedByItsValue(r, carried.value)) out.push({ node: r, data: { value: carried.value, callee: calleeName(carried.call) } });
    }
    return out;
  },
  check(candidate, ctx) {
    const { value, callee } = candidate.data as { value: string; callee: string };
    const isCall = candidate.node.namedChild(0)?.type === 'call_expression';
    return {
      messageId: isCall ? 'returnsCallEarly' : 'returnsEarly',
      data: { value, callee, test: controlHead(styleFor(ctx.post, ctx.file), 'if', value) },
      question: { kind: 'success-path-change', at: candidate.node, change: 'returns-early' },
    };
  },
  cases: {
    flagged: [
      {
        name: 'the result is returned unconditionally where the old code went on',
        patch: `--- a/xen/arch/x86/baz.c
+++ b/xen/arch/x86/baz.c
@@ -40,7 +40,10 @@ static int baz_get(struct page_info *page, unsigned long type)
     if ( need_map(d) )
     {
         if ( type == WRITABLE )
-            baz_unmap(d, page);
+        {
+            rc = baz_unmap(d, page);
+            return rc;
+        }
     }
 
     page->count++;
`,
        expect: [
          { line: 45, messageId: 'returnsEarly', verdict: 'verified' },
        ],
      },
    ],
    clean: [
      {
        // OP-TEE 509a9802af4f (2017): early_ta_read() renamed read_uncompressed(), its name reused for a dispatcher.
        name: 'near miss: the patch renames a function and reuses its old name for a new dispatcher (`return read_packed(..)` / `return read_plain(..)`); the dispatcher is new code, not the old body cut short by an early return',
        patch: `--- a/core/kernel/blob_ta.c
+++ b/core/kernel/blob_ta.c
@@ -79,11 +79,11 @@ static TEE_Result blob_ta_open(const TEE_UUID *uuid,
 static TEE_Result blob_ta_get_size(const struct blob_handle *h, size_t *size)
 {
 	*size = h->blob->size;
 	return TEE_SUCCESS;
 }
 
-static TEE_Result blob_ta_read(struct blob_handle *h, void *data,
-			       size_t len)
+static TEE_Result read_plain(struct blob_handle *h, void *data,
+			     size_t len)
 {
 	uint8_t *src = (uint8_t *)h->blob->data + h->offs;
 
@@ -97,7 +97,25 @@ static TEE_Result blob_ta_read(struct blob_handle *h, void *data,
 	return TEE_SUCCESS;
 }
 
+static TEE_Result read_packed(struct blob_handle *h, void *data,
+			      size_t len)
+{
+	if (unpack(h, data, len))
+		return TEE_ERROR_BAD_FORMAT;
+	h->offs += len;
+	return TEE_SUCCESS;
+}
+
+static TEE_Result blob_ta_read(struct blob_handle *h, void *data,
+			       size_t len)
+{
+	if (h->blob->packed_size)
+		return read_packed(h, data, len);
+	else
+		return read_plain(h, data, len);
+}
+
 static void blob_ta_close(struct blob_handle *h)
 {
 	free(h);
 }
`,
      },
      {
        name: 'near miss: a recursive call on the rest of the input returns the function\'s own answer',
        patch: `--- a/core/lib/stream.c
+++ b/core/lib/stream.c
@@ -20,6 +20,11 @@ int stream_crypt(const unsigned char *in, unsigned char *out, unsigned long len, struct stream *st)
 			return err;
 	}
 
+	if (len > st->blocklen) {
+		if ((err = stream_block(in, out, st)) != 0)
+			return err;
+		return stream_crypt(in + st->blocklen, out + st->blocklen, len - st->blocklen, st);
+	}
 	st->count += len;
 	return stream_tail(in, out, len, st);
 }
`,
      },
      {
        name: 'deliberate guard and protocol returns are the function\'s answer, not error handling',
        patch: `--- a/xen/arch/x86/hvm/emu.c
+++ b/xen/arch/x86/hvm/emu.c
@@ -10,7 +10,13 @@ static int emu_read(struct vcpu *v, struct emu_req *p)
 {
     struct emu_state *s = v->emu;
 
+    if ( unlikely(!p) )
+        return X86EMUL_UNHANDLEABLE;
+    if ( !s->domain )
+        return -ESRCH;
+    if ( s->busy )
+        return X86EMUL_RETRY;
     emu_fill(s, p);
     s->reads++;
     return X86EMUL_OKAY;
 }
`,
      },
      {
        name: 'a switch arm that now returns its own hook\'s result answers that case',
        patch: `--- a/xen/xsm/dummy.c
+++ b/xen/xsm/dummy.c
@@ -20,9 +20,9 @@ static int dummy_sysctl(int cmd)
     switch ( cmd )
     {
     case SYSCTL_PLUG:
-        return old_plug_hook();
+        return dummy_plug();
     case SYSCTL_UNPLUG:
-        return old_unplug_hook();
+        return dummy_unplug();
     default:
         return 0;
     }
`,
      },
      {
        name: 'nothing but return 0 followed the old call, so returning its result skips nothing on success',
        refuted: true,
        patch: `--- a/xen/arch/x86/baz.c
+++ b/xen/arch/x86/baz.c
@@ -40,7 +40,10 @@ static int baz_put(struct page_info *page, unsigned long type)
     if ( need_map(d) )
     {
         if ( type == WRITABLE )
-            baz_unmap(d, page);
+        {
+            rc = baz_unmap(d, page);
+            return rc;
+        }
     }
     return 0;
 }
`,
      },
      {
        name: 'the old code returned right there too: only the value changed, nothing is skipped',
        patch: `--- a/xen/arch/x86/baz.c
+++ b/xen/arch/x86/baz.c
@@ -40,9 +40,9 @@ static int baz_get(struct page_info *page, unsigned long type)
     if ( need_map(d) )
     {
         if ( type == WRITABLE )
         {
-            baz_unmap(d, page);
-            return 0;
+            rc = baz_unmap(d, page);
+            return rc;
         }
     }
 
`,
      },
      {
        name: 'the result is returned only when the call failed',
        patch: `--- a/xen/arch/x86/baz.c
+++ b/xen/arch/x86/baz.c
@@ -40,7 +40,11 @@ static int baz_get(struct page_info *page, unsigned long type)
     if ( need_map(d) )
     {
         if ( type == WRITABLE )
-            baz_unmap(d, page);
+        {
+            rc = baz_unmap(d, page);
+            if ( rc )
+                return rc;
+        }
     }
 
     page->count++;
`,
      },
      {
        // TF-A 3f3dc8227f1f, 1cdb2e13ae71 (2026): an SMC dispatcher gains the handler of a new service.
        name: 'near miss: a new branch of a dispatcher returns the answer of a handler the function did not call before; nothing that ran after a call is cut short',
        patch: `--- a/services/std_svc/svc_main.c
+++ b/services/std_svc/svc_main.c
@@ -120,6 +120,12 @@ uint64_t svc_handler(uint32_t fid, uint64_t x1, uint64_t x2, void *handle)
 	}
 
 	else if (is_gamma_fid(fid)) {
+		return gamma_handler(fid, x1, x2, handle);
+	}
+
+	else if (is_delta_fid(fid)) {
+		rc = delta_handler(fid, x1, x2, handle);
+		return rc;
 	}
 
 	else if (is_epsilon_fid(fid)) {
`,
      },
      {
        // TF-A af9303bcb67e (2026): `return LOWER_ATTRS(EL3_S1_NSE | NS);` in the arms of a PAS switch, under #if/#else.
        name: 'near miss: new returns of an all-caps macro of constants are values the function answers, not a call\'s result',
        patch: `--- a/lib/gizmo/gizmo_attrs.c
+++ b/lib/gizmo/gizmo_attrs.c
@@ -48,17 +48,30 @@ size_t gizmo_max_granule(void)
 }
 
-uint32_t gizmo_get_pas(uint32_t attr)
+uint32_t gizmo_get_pas(const struct gizmo_ctx *ctx, uint32_t attr)
 {
 	uint32_t pas = GIZMO_PAS(attr);
 
-	switch (pas) {
+	assert(ctx != NULL);
+
 #if GIZMO_RME
+	assert(ctx->regime == GIZMO_EL3);
+	switch (pas) {
 	case GIZMO_ROOT:
 		return GIZMO_LOWER(GIZMO_NSE);
-#endif
 	case GIZMO_NS:
+		return GIZMO_LOWER(NS);
+	default:
+		if (gizmo_sel2_supported()) {
+			return GIZMO_LOWER(0U);
+		} else {
+			return GIZMO_LOWER(NS);
+		}
+	}
+#else
+	if (pas == GIZMO_NS) {
 		return GIZMO_LOWER(NS);
-	default:
-		return 0U;
+	} else {
+		return GIZMO_LOWER(0U);
 	}
+#endif
 }
`,
      },
      {
        // U-Boot a566d3269360 (2026): a probe that used to carry on without the optional clock now fails.
        name: 'near miss: a new return of PTR_ERR() of the error pointer the branch tested: the error it carries',
        patch: `--- a/drivers/clk/gizmo-gate.c
+++ b/drivers/clk/gizmo-gate.c
@@ -65,7 +57,7 @@ static int gizmo_gate_probe(struct udevice *dev)
 	if (IS_ERR(priv->clk)) {
 		log_debug("%s: no gated clock: %ld\\n",
 			  __func__, PTR_ERR(priv->clk));
-		priv->clk = 0;
+		return PTR_ERR(priv->clk);
 	}
 
 	ret = gpio_request_by_name(dev, "enable-gpios", 0,
`,
      },
      {
        // U-Boot 35432ef6fe2c (2026): log_msg_ret() logs its tag and hands back the error it is given.
        name: 'near miss: a new guard returns an error constant through a logging wrapper (`return log_ret_tag("size", -EFBIG);`), not the result of work',
        patch: `--- a/boot/bootmeth_qux.c
+++ b/boot/bootmeth_qux.c
@@ -384,6 +384,9 @@ static int read_part(struct blk_desc *desc, const char *name, ulong addr)
 	if (ret < 0)
 		return log_ret_tag("part", ret);
 
+	if (num_blks > part.size)
+		return log_ret_tag("too big", -EFBIG);
+
 	n = blk_dread(desc, part.start, num_blks, map_sysmem(addr, 0));
 	if (n < num_blks)
 		return log_ret_tag("read", -EIO);
`,
      },
    ],
  },
});
