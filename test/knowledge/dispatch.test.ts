// A call through a dispatch macro (`iommu_call(ops, map_page, ..)`, `alternative_call(hvm_funcs.set_mode, ..)`) is a
// call of the member it dispatches: the learner counts its callers and follows wrappers that return it (dispatch.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanFile } from '../../src/knowledge/index.ts';
import { learn } from '../../src/knowledge/learn.ts';

const OPS = `
struct pg_ops {
    int (*map_page)(struct dom *d, unsigned long gfn);
    int (*set_mode)(struct vcpu *v, unsigned int mode);
};

static int foo_map_page(struct dom *d, unsigned long gfn)
{
    if ( !d->table )
        return -ENOMEM;
    if ( gfn > d->max )
        return -EINVAL;
    return 0;
}

static int foo_set_mode(struct vcpu *v, unsigned int mode)
{
    if ( mode > 3 )
        return -EOPNOTSUPP;
    v->mode = mode;
    return 0;
}

static const struct pg_ops foo_ops = {
    .map_page = foo_map_page,
    .set_mode = foo_set_mode,
};

static inline int vcpu_set_mode(struct vcpu *v, unsigned int mode)
{
    return alternative_call(hooks.set_mode, v, mode);
}

int dom_populate(struct dom *d, unsigned long gfn)
{
    int rc = iommu_call(d->ops, map_page, d, gfn);

    if ( rc )
        return rc;
    if ( iommu_call(d->ops, map_page, d, gfn + 1) )
        return -EIO;
    return 0;
}

int vcpu_switch(struct vcpu *v)
{
    int rc;

    rc = alternative_call(hooks.set_mode, v, 1);
    if ( rc )
        goto fail;
    return 0;
 fail:
    return rc;
}
`;

test('dispatch macro calls count as calls of the member they dispatch', () => {
  const s = scanFile(OPS);
  assert.equal(s.sites['->map_page']?.nonzeroErr, 2);
  assert.equal(s.sites['->set_mode']?.nonzeroErr, 1);
  // the macro itself is no callee: every operation shares it
  assert.equal(s.sites.iommu_call, undefined);
  assert.equal(s.sites.alternative_call, undefined);
});

test('a member called only through a dispatch macro gets its callers; a wrapper returning the macro takes its convention', () => {
  const facts = learn(new Map([['x/ops.c', scanFile(OPS)]]));
  const map = facts.get('->map_page')!;
  assert.equal(map.convention, 'errno');
  assert.deepEqual(map.callers, { tested: 2, dropped: 0 });
  const wrapper = facts.get('vcpu_set_mode')!;
  assert.equal(wrapper.convention, 'errno');
  assert.deepEqual(wrapper.failValues, ['-EOPNOTSUPP']);
  assert.match(wrapper.source, /->set_mode\(\)/);
});
