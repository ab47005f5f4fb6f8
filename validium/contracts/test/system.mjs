// Deploys the whole L1 system on a test anvil and recomputes, with circomlibjs and ethers only, every value SPEC.md
// defines (chain heads, commitments, leaves, roots, digests), so the tests check the contracts against an
// independent implementation of the spec rather than against themselves.
import { buildEddsa, buildPoseidon } from "circomlibjs";
import { artifacts, deploy, ethers, alsoDecodeWith } from "./lib.mjs";

export const Q = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
export const KIND = { deposit: 1n, forcedWithdrawal: 2n, forcedTrade: 3n, escape: 4n };

const poseidon = await buildPoseidon();
const eddsa = await buildEddsa();
export const H = (xs) => poseidon.F.toObject(poseidon(xs.map(BigInt)));
export const signed = (n) => (BigInt(n) >= 0n ? BigInt(n) : Q + BigInt(n));
export const word = (kind, x, y) => BigInt(kind) | (BigInt(x) << 8n) | (BigInt(y) << 72n);

/** A trader's BabyJubjub key: k picks a fixed private key, so runs are reproducible. */
export function l2Key(k) {
  const prv = Buffer.alloc(32, k);
  const pub = eddsa.prv2pub(prv);
  const F = eddsa.babyJub.F;
  return {
    ax: F.toObject(pub[0]),
    ay: F.toObject(pub[1]),
    sign(message) {
      const sig = eddsa.signPoseidon(prv, F.e(BigInt(message)));
      return { r8x: F.toObject(sig.R8[0]), r8y: F.toObject(sig.R8[1]), s: sig.S };
    },
  };
}

export const opHead = (head, w, a, b, c) => H([head, w, a, b, c]);

export function withdrawalsCommitment(ws) {
  let w = 0n;
  for (const x of ws) w = H([w, (BigInt(x.amount) << 160n) | BigInt(x.recipient)]);
  return w;
}

export function oracleCommitment(round, timestamp, prices) {
  let acc = (BigInt(round) << 64n) | BigInt(timestamp);
  const words = [];
  for (let j = 0; j < prices.length; j += 3) {
    let w = 0n;
    for (let m = 0; m < 3 && j + m < prices.length; m++) w |= BigInt(prices[j + m]) << (64n * BigInt(m));
    words.push(w);
  }
  for (let k = 0; k < words.length; k += 4) acc = H([acc, ...[0, 1, 2, 3].map((j) => words[k + j] ?? 0n)]);
  return acc;
}

export const accountLeaf = (a) => H([a.ax, a.ay, a.nonce, signed(a.collateral), a.positionsRoot]);
export const positionLeaf = (p) => H([signed(p.size), signed(p.openNotional), signed(p.fundingIndex)]);

/** A full binary Poseidon tree over leaves (Map index -> leaf hash), small depths only: levels[l][j]. */
export function tree(depth, leaves) {
  let level = Array.from({ length: 2 ** depth }, (_, i) => leaves.get(i) ?? 0n);
  const levels = [level];
  for (let l = 0; l < depth; l++) {
    const next = [];
    for (let j = 0; j < level.length; j += 2) next.push(H([level[j], level[j + 1]]));
    levels.push((level = next));
  }
  return {
    root: level[0],
    siblings: (index) => levels.slice(0, depth).map((lv, l) => lv[(index >> l) ^ 1]),
  };
}

/** The digest the DA committee signs, built with ethers' ABI coder as SPEC.md states it. */
export function attestationDigest(chainId, contract, number, dataCommitment) {
  return ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint256", "address", "uint64", "uint256"], [chainId, contract, number, dataCommitment]));
}

/** EIP-191 signatures of a digest by these wallets, in the order given (callers sort or unsort on purpose). */
export function signDigest(wallets, digest) {
  return wallets.map((w) => {
    const s = ethers.Signature.from(w.signMessageSync(ethers.getBytes(digest)));
    return { v: s.v, r: s.r, s: s.s };
  });
}

/** SPEC.md's batch data commitment with circomlibjs: acc = count, then acc = Poseidon(acc, next 15 words), zero-padded. */
export function spongeCommit(words) {
  let acc = BigInt(words.length);
  for (let k = 0; k < words.length; k += 15) acc = H([acc, ...Array.from({ length: 15 }, (_, j) => words[k + j] ?? 0n)]);
  return acc;
}

/** The constant parts of PoseidonSponge.sol, then the sponge over their addresses. */
export async function deploySponge(owner) {
  const parts = [];
  for (let k = 0; artifacts()[`PoseidonSpongeConstants${k}`]; k++) parts.push(await (await deploy(owner, `PoseidonSpongeConstants${k}`)).getAddress());
  return deploy(owner, "PoseidonSponge", parts);
}

export const ascending = (wallets) => [...wallets].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));

/**
 * Deploys token, Poseidon contracts, EdDSA verifier, oracle, the generated batch verifier (source from the C# test)
 * and Validium. committee and reporters are taken from the anvil wallets after the first five.
 */
export async function deploySystem(ctx, verifierSource, opts = {}) {
  const o = { accountDepth: 4, positionsDepth: 3, instruments: 4, forcedDelay: 3600, timelockDelay: 7200, committee: 3, threshold: 2, reporters: 3, reporterThreshold: 2, ...opts };
  artifacts({ "BatchVerifier.sol": { content: verifierSource } });
  const [owner] = ctx.wallets;
  const committee = ascending(ctx.wallets.slice(5, 5 + o.committee));
  const reporters = ascending(ctx.wallets.slice(12, 12 + o.reporters));
  const token = await deploy(owner, "TestToken");
  const p3 = await deploy(owner, "PoseidonT3");
  const p4 = await deploy(owner, "PoseidonT4");
  const p5 = await deploy(owner, "PoseidonT5");
  const p6 = await deploy(owner, "PoseidonT6");
  const eddsaVerifier = await deploy(owner, "EdDsaPoseidonVerifier", await p6.getAddress());
  const oracle = await deploy(owner, "PriceOracle", await p6.getAddress(), o.instruments, reporters.map((w) => w.address), o.reporterThreshold, owner.address, o.timelockDelay);
  const verifier = await deploy(owner, "Groth16Verifier");
  const sponge = await deploySponge(owner);
  const validium = await deploy(owner, "Validium", {
    token: await token.getAddress(),
    verifier: await verifier.getAddress(),
    oracle: await oracle.getAddress(),
    poseidon3: await p3.getAddress(),
    poseidon4: await p4.getAddress(),
    poseidon5: await p5.getAddress(),
    poseidon6: await p6.getAddress(),
    eddsa: await eddsaVerifier.getAddress(),
    accountDepth: o.accountDepth,
    positionsDepth: o.positionsDepth,
    forcedDelay: o.forcedDelay,
    timelockDelay: o.timelockDelay,
    owner: owner.address,
    committee: committee.map((w) => w.address),
    threshold: o.threshold,
    sponge: await sponge.getAddress(),
  });
  alsoDecodeWith(verifier, oracle, token, p3, p6, sponge);
  const chainId = (await ctx.provider.getNetwork()).chainId;
  const address = await validium.getAddress();
  const domain = (chainId << 160n) | BigInt(address);
  let round = 0n;
  return {
    ...o, owner, committee, reporters, token, oracle, verifier, validium, eddsaVerifier, p3, p4, p5, p6, sponge, chainId, address, domain,
    attest: (number, dataCommitment, signers = committee.slice(0, o.threshold)) => signDigest(signers, attestationDigest(chainId, address, number, dataCommitment)),
    /** Publishes the next oracle round, signed by the first reporterThreshold reporters, and returns its commitment. */
    async publishPrices(prices) {
      round += 1n;
      const block = await ctx.provider.getBlock("latest");
      const timestamp = BigInt(block.timestamp);
      const digest = ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint256", "address", "uint64", "uint64", "uint64[]"], [chainId, await oracle.getAddress(), round, timestamp, prices]));
      const sigs = signDigest(reporters.slice(0, o.reporterThreshold), digest);
      await (await oracle.update(round, timestamp, prices, sigs)).wait();
      return { round, timestamp, prices, commitment: oracleCommitment(round, timestamp, prices) };
    },
  };
}
