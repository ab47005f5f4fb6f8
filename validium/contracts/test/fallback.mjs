// The on-chain data fallback (SPEC.md "On-chain data fallback"): PoseidonSponge against the sponge recomputed with
// circomlibjs for lengths around the rate, its refusals, and its gas; then submitBatchWithData refusing every batch
// whose calldata is not exactly the data the proof commits to, accepting the one that is, and its gas split.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { deploy, ethers, expectRevert, prove, revertOf, run, tx } from "./lib.mjs";
import { deploySponge, deploySystem, H, KIND, l2Key, opHead, Q, spongeCommit, withdrawalsCommitment, word } from "./system.mjs";

const verifierSource = readFileSync(process.argv[2], "utf8");
const intrinsic = (data) => 21000 + ethers.getBytes(data).reduce((g, b) => g + (b === 0 ? 4 : 16), 0);
const spread = (n, tag) => Array.from({ length: n }, (_, i) => BigInt(ethers.keccak256(ethers.toUtf8Bytes(`sponge ${tag} ${i}`))) % Q);

await run(async (ctx) => {
  const sys = await deploySystem(ctx, verifierSource);
  const { validium, token, sponge } = sys;
  const [owner] = ctx.wallets;

  // The sponge: every length class around the rate of 15, small and field-wide words.
  const sponges = [];
  for (const n of [0, 1, 14, 15, 16, 30, 31, 45, 60]) {
    for (const words of [Array.from({ length: n }, (_, i) => BigInt(i + 1)), spread(n, n)]) {
      const onChain = await sponge.commit(words);
      assert.equal(onChain, spongeCommit(words), `sponge of ${n} words differs from circomlibjs`);
      sponges.push({ words: words.map(String), commitment: onChain.toString() });
    }
  }
  const spongeGas = {};
  for (const n of [15, 150, 600]) {
    const words = spread(n, `gas ${n}`);
    spongeGas[n] = Number(await sponge.commit.estimateGas(words)) - intrinsic(sponge.interface.encodeFunctionData("commit", [words]));
  }
  const nonCanonical = [1n, 2n, Q, 4n];
  const spongeRefusals = { nonCanonical: await expectRevert(sponge, "commit", [nonCanonical]) };
  assert.equal(spongeRefusals.nonCanonical, "InputNotInField(2)");
  // A sponge over constants in the wrong order does not deploy: its own code hashes are checked.
  const parts = [];
  for (let k = 0; k < 4; k++) parts.push(await (await deploy(owner, `PoseidonSpongeConstants${k}`)).getAddress());
  const swapped = [parts[1], parts[0], parts[2], parts[3]];
  try {
    await deploy(owner, "PoseidonSponge", swapped);
    spongeRefusals.swappedParts = "ok";
  } catch (e) {
    spongeRefusals.swappedParts = revertOf(sponge, e);
  }
  assert.equal(spongeRefusals.swappedParts, "WrongConstants(0)");
  assert.equal(await (await deploySponge(owner)).commit([5n]), spongeCommit([5n]));

  // A batch whose data goes on-chain: a deposit consumed, one withdrawal, the data a mix of small and wide words.
  const user = ctx.wallets[1];
  const key = l2Key(3);
  await tx(token.mint(user.address, 1_000_000n));
  await tx(token.connect(user).approve(sys.address, 1_000_000n));
  await tx(validium.connect(user).deposit(1_000_000n, key.ax, key.ay));
  const head = opHead(0n, word(KIND.deposit, 0, user.address), key.ax, key.ay, 1_000_000n);
  const round = await sys.publishPrices([100n, 200n, 300n, 400n]);
  const data = [...Array.from({ length: 20 }, (_, i) => BigInt(i * 1000)), ...spread(12, "batch")];
  const dc = spongeCommit(data);
  const newRoot = H([7n, 7n]);
  const withdrawals = [{ recipient: ctx.wallets[2].address, amount: 5_000n }];
  const header = { newRoot, dataCommitment: dc, opsProcessed: 1n, oracleRound: round.round };
  const good = [await validium.stateRoot(), newRoot, dc, 0n, head, round.commitment, withdrawalsCommitment(withdrawals), 1n];
  const proof = await prove(good);

  const results = {};
  const check = async (name, args, expected) => {
    results[name] = await expectRevert(validium, "submitBatchWithData", args);
    assert.equal(results[name], expected, name);
  };
  const changed = [...data];
  changed[7] += 1n;
  await check("one word changed", [header, proof, withdrawals, changed], `DataNotCommitted(${spongeCommit(changed)},${dc})`);
  await check("a zero word appended", [header, proof, withdrawals, [...data, 0n]], `DataNotCommitted(${spongeCommit([...data, 0n])},${dc})`);
  await check("last word dropped", [header, proof, withdrawals, data.slice(0, -1)], `DataNotCommitted(${spongeCommit(data.slice(0, -1))},${dc})`);
  await check("words reordered", [header, proof, withdrawals, [data[1], data[0], ...data.slice(2)]], `DataNotCommitted(${spongeCommit([data[1], data[0], ...data.slice(2)])},${dc})`);
  const wide = [...data];
  wide[25] += Q;
  await check("a word not below r", [header, proof, withdrawals, wide], "InputNotInField(25)");
  await check("no data", [header, proof, withdrawals, []], "NoBatchData");
  // Other data with its own matching commitment in the header: the proof is about dc, so it fails.
  const other = spread(32, "other");
  await check("other data, header commitment to match it", [{ ...header, dataCommitment: spongeCommit(other) }, proof, withdrawals, other], "InvalidProof");
  const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
  await check("tampered proof", [header, { ...proof, a: [proof.a[0], (P - BigInt(proof.a[1])).toString()] }, withdrawals, data], "InvalidProof");
  await check("withdrawals differ", [header, proof, [], data], "InvalidProof");

  const receipt = await tx(validium.submitBatchWithData(header, proof, withdrawals, data));
  const posted = receipt.logs.map((l) => { try { return validium.interface.parseLog(l); } catch { return null; } }).find((l) => l?.name === "BatchDataOnChain");
  assert.equal(posted.args.batchNumber, 1n);
  assert.equal(posted.args.words, BigInt(data.length));
  // The data is recoverable from the transaction alone, as recovery reads it.
  const sent = await ctx.provider.getTransaction(receipt.hash);
  const decoded = validium.interface.parseTransaction({ data: sent.data });
  assert.deepEqual(decoded.args.data.map(BigInt), data);
  assert.equal(await validium.stateRoot(), newRoot);
  assert.equal(await validium.claimable(ctx.wallets[2].address), 5_000n);
  await check("replayed", [header, proof, withdrawals, data], "InvalidProof");

  const input = validium.interface.encodeFunctionData("submitBatchWithData", [header, proof, withdrawals, data]);
  const total = Number(receipt.gasUsed);
  const spongeOfBatch = Number(await sponge.commit.estimateGas(data)) - intrinsic(sponge.interface.encodeFunctionData("commit", [data]));
  return {
    sponges,
    spongeRefusals,
    rejections: results,
    gas: {
      spongePerCall: spongeGas,
      submitBatchWithData: total,
      words: data.length,
      calldataBytes: ethers.getBytes(input).length,
      transactionAndCalldata: intrinsic(input),
      spongeOfBatch,
      proofAndRest: total - intrinsic(input) - spongeOfBatch,
    },
  };
});
