// The valid_policy_tree of RFC 5280 6.1: nodes by depth, growth, mapping, pruning, intersection.

import { ANY_POLICY } from './oids.js';

/** A node of the valid_policy_tree (RFC 5280 6.1.2 (a)). Qualifiers are not kept. */
interface PolicyNode {
  readonly validPolicy: string;
  expectedPolicySet: Set<string>;
  readonly parent: PolicyNode | undefined;
  readonly children: PolicyNode[];
  readonly depth: number;
}

/** The valid_policy_tree; a tree object is never empty: NULL is represented by `undefined`. */
export class PolicyTree {
  /** Nodes by depth; `levels[0]` holds the root. */
  private readonly levels: PolicyNode[][];

  /** RFC 5280 6.1.2 (a): one node of depth 0, anyPolicy, expecting {anyPolicy}. */
  constructor() {
    const root: PolicyNode = {
      validPolicy: ANY_POLICY,
      expectedPolicySet: new Set([ANY_POLICY]),
      parent: undefined,
      children: [],
      depth: 0,
    };
    this.levels = [[root]];
  }

  /** The nodes of depth `depth`. */
  nodesAt(depth: number): readonly PolicyNode[] {
    return this.levels[depth] ?? [];
  }

  /**
   * RFC 5280 6.1.3 (d): grows depth `i` from the policies of certificate `i`; `allowAny` says
   * whether its anyPolicy is honoured (inhibit_anyPolicy > 0, or i < n and self-issued).
   * Returns false when pruning emptied the tree (it is NULL then).
   */
  addCertificatePolicies(i: number, policies: readonly string[], allowAny: boolean): boolean {
    const parents = this.nodesAt(i - 1);
    this.levels[i] = [];

    // (d)(1): each policy other than anyPolicy.
    for (const policy of policies) {
      if (policy === ANY_POLICY) continue;
      // (d)(1)(i): children of every node whose expected_policy_set holds the policy.
      const matching = parents.filter((node) => node.expectedPolicySet.has(policy));
      // (d)(1)(ii): otherwise a child of a node whose valid_policy is anyPolicy.
      const targets = matching.length > 0 ? matching : parents.filter(isAny).slice(0, 1);
      for (const parent of targets) this.addChild(parent, policy, new Set([policy]));
    }

    // (d)(2): anyPolicy asserted and honoured: a child for each expected value not yet a child.
    if (policies.includes(ANY_POLICY) && allowAny) {
      for (const parent of parents) {
        for (const expected of parent.expectedPolicySet) {
          if (!parent.children.some((child) => child.validPolicy === expected)) {
            this.addChild(parent, expected, new Set([expected]));
          }
        }
      }
    }

    // (d)(3): prune childless nodes above depth i.
    return this.prune(i - 1);
  }

  /**
   * RFC 5280 6.1.4 (b)(1): policy_mapping > 0 — replace expected_policy_set by the mapped
   * subject policies, and map from anyPolicy where the issuer policy is not in the tree.
   */
  applyMappings(i: number, mappings: ReadonlyMap<string, readonly string[]>): void {
    const level = this.nodesAt(i);
    for (const [issuerPolicy, subjectPolicies] of mappings) {
      const nodes = level.filter((node) => node.validPolicy === issuerPolicy);
      if (nodes.length > 0) {
        for (const node of nodes) node.expectedPolicySet = new Set(subjectPolicies);
        continue;
      }
      const anyNode = level.find(isAny);
      if (anyNode?.parent) this.addChild(anyNode.parent, issuerPolicy, new Set(subjectPolicies));
    }
  }

  /**
   * RFC 5280 6.1.4 (b)(2): policy_mapping = 0 — delete the nodes of depth i whose valid_policy is
   * a mapped issuer policy, then prune. Returns false when the tree became NULL.
   */
  deleteMapped(i: number, issuerPolicies: Iterable<string>): boolean {
    const mapped = new Set(issuerPolicies);
    for (const node of [...this.nodesAt(i)]) {
      if (mapped.has(node.validPolicy)) this.remove(node);
    }
    return this.prune(i - 1);
  }

  /**
   * RFC 5280 6.1.5 (g)(iii): intersects the tree with the user-initial-policy-set (not
   * anyPolicy) at depth n. Returns false when the tree became NULL.
   */
  intersect(n: number, initial: ReadonlySet<string>): boolean {
    // (g)(iii)(1): the valid_policy_node_set: nodes whose parent's valid_policy is anyPolicy.
    const nodeSet = this.levels.flat().filter((node) => node.parent && isAny(node.parent));

    // (g)(iii)(2): delete those (with their subtrees) whose policy is neither initial nor any.
    for (const node of nodeSet) {
      if (!isAny(node) && !initial.has(node.validPolicy)) this.remove(node);
    }

    // (g)(iii)(3): replace an anyPolicy leaf at depth n by the initial policies not yet present.
    const anyLeaf = this.nodesAt(n).find(isAny);
    if (anyLeaf?.parent) {
      const present = new Set(
        nodeSet.filter((node) => this.contains(node)).map((node) => node.validPolicy),
      );
      for (const policy of initial) {
        if (!present.has(policy)) this.addChild(anyLeaf.parent, policy, new Set([policy]));
      }
      this.remove(anyLeaf);
    }

    // (g)(iii)(4): prune childless nodes above depth n.
    return this.prune(n - 1);
  }

  /**
   * The user-constrained policy set (RFC 5280 6.1.6) in the trust anchor's policy domain: for
   * each node of depth n, the valid_policy of its highest ancestor that is not anyPolicy (the
   * node whose parent is anyPolicy, where mapped policies entered the tree); anyPolicy when the
   * whole branch is anyPolicy.
   */
  policiesAt(n: number): string[] {
    const result = new Set<string>();
    for (const leaf of this.nodesAt(n)) {
      let node: PolicyNode = leaf;
      while (node.parent && !isAny(node.parent)) node = node.parent;
      result.add(node.validPolicy);
    }
    return [...result];
  }

  private addChild(parent: PolicyNode, validPolicy: string, expected: Set<string>): void {
    const depth = parent.depth + 1;
    const child: PolicyNode = {
      validPolicy,
      expectedPolicySet: expected,
      parent,
      children: [],
      depth,
    };
    parent.children.push(child);
    (this.levels[depth] ??= []).push(child);
  }

  private contains(node: PolicyNode): boolean {
    return this.nodesAt(node.depth).includes(node);
  }

  /** Removes a node and its subtree. */
  private remove(node: PolicyNode): void {
    for (const child of [...node.children]) this.remove(child);
    const level = this.levels[node.depth];
    const at = level ? level.indexOf(node) : -1;
    if (level && at >= 0) level.splice(at, 1);
    if (node.parent) {
      const siblings = node.parent.children;
      const index = siblings.indexOf(node);
      if (index >= 0) siblings.splice(index, 1);
    }
  }

  /** Deletes childless nodes from depth `from` up to the root; false when the root went too. */
  private prune(from: number): boolean {
    for (let depth = from; depth >= 0; depth--) {
      for (const node of [...this.nodesAt(depth)]) {
        if (node.children.length === 0) this.remove(node);
      }
    }
    return this.nodesAt(0).length > 0;
  }
}

function isAny(node: PolicyNode): boolean {
  return node.validPolicy === ANY_POLICY;
}
