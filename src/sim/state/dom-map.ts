// The domains a path has given its symbols: a persistent map (pmap.ts), so a fork shares them and a
// refinement adds one link instead of copying every symbol's domain.
import type { Domain } from '../types.ts';
import { PMap } from './pmap.ts';

/** A path's symbol domains (read with `.get(id)`, every one with `.toRecord()`). */
export type DomMap = PMap<Domain>;

/** What `resolve` and friends read domains from: a path's map, or a plain record (a SimPath's constraints). */
export type Doms = DomMap | Readonly<Record<string, Domain>>;

export const domIn = (doms: Doms, id: string): Domain | undefined => (doms instanceof PMap ? doms.get(id) : doms[id]);
