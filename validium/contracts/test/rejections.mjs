// Every way submitBatch must refuse a batch, each checked for its exact custom error, then the same batch accepted;
// and the gas of submitBatch split into proof verification, attestation, withdrawals hashing and the rest.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ethers, expectRevert, prove, run, tx } from "./lib.mjs";
import { ascending, attestationDigest, deploySystem, H, KIND, l2Key, opHead, Q, signDigest, withdrawalsCommitment, word } from "./system.mjs";

const verifierSource = readFileSync(process.argv[2], "utf8");

await run(async (ctx) => {
  const sys = await deploySystem(ctx, verifierSource, { committee: 5, threshold: 3 });
  const { validium, token } = sys;
  const user = ctx.wallets[1];
  const key = l2Key(9);
  await tx(token.mint(user.address, 10_000_000n));
  await tx(token.connect(user).approve(sys.address, 10_000_000n));
  await tx(validium.connect(user).deposit(10_000_000n, key.ax, key.ay));
  const head = opHead(0n, word(KIND.deposit, 0, user.address), key.ax, key.ay, 10_000_000n);
  const oracleRound = await sys.publishPrices([100n, 200n, 300n, 400n]);
  const oldRoot = await validium.stateRoot();
  const newRoot = H([7n, 7n]);
  const dc = H([8n, 8n]);
  const withdrawals = [{ recipient: ctx.wallets[2].address, amount: 250_000n }, { recipient: ctx.wallets[3].address, amount: 1n }];
  const header = { newRoot, dataCommitment: dc, opsProcessed: 1n, oracleRound: oracleRound.round };
  const good = [oldRoot, newRoot, dc, 0n, head, oracleRound.commitment, withdrawalsCommitment(withdrawals), 1n];
  const proof = await prove(good);
  const sigs = sys.attest(1n, dc);
  const c = sys.committee;
  const results = {};
  const check = async (name, args, expected) => {
    results[name] = await expectRevert(validium, "submitBatch", args);
    assert.equal(results[name], expected, name);
  };

  // The proof itself.
  // −A: still on the curve, so it is the pairing check that fails.
  const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
  const badA = { ...proof, a: [proof.a[0], (P - BigInt(proof.a[1])).toString()] };
  await check("tampered proof", [header, badA, withdrawals, sigs], "InvalidProof");
  // A proof of different public inputs: each position wrong in turn (the contract computes them all itself).
  const names = ["oldRoot", "newRoot", "dataCommitment", "opsHeadBefore", "opsHeadAfter", "oracleCommitment", "withdrawalsCommitment", "batchNumber"];
  for (let i = 0; i < 8; i++) {
    const wrong = [...good];
    wrong[i] = (BigInt(wrong[i]) + 1n) % Q;
    await check(`proof with wrong ${names[i]}`, [header, await prove(wrong), withdrawals, sigs], "InvalidProof");
  }
  // Calldata that disagrees with what was proven.
  await check("withdrawals differ", [header, proof, [withdrawals[0]], sigs], "InvalidProof");
  await check("new root >= r", [{ ...header, newRoot: newRoot + Q }, proof, withdrawals, sigs], `FieldElementOutOfRange(${newRoot + Q})`);
  await check("data commitment >= r", [{ ...header, dataCommitment: Q }, proof, withdrawals, sigs], `FieldElementOutOfRange(${Q})`);
  await check("more ops than queued", [{ ...header, opsProcessed: 2n }, proof, withdrawals, sigs], "WrongOpsProcessed(2,0,1)");
  await check("unknown oracle round", [{ ...header, oracleRound: 5n }, proof, withdrawals, sigs], "OracleRoundNotUsable(5,0)");
  await check("zero withdrawal", [header, proof, [{ recipient: user.address, amount: 0n }], sigs], "ZeroAmount");

  // The DA attestation.
  const digest = attestationDigest(sys.chainId, sys.address, 1n, dc);
  await check("too few signatures", [header, proof, withdrawals, signDigest(c.slice(0, 2), digest)], "TooFewSignatures(2,3)");
  await check("unsorted signers", [header, proof, withdrawals, signDigest([c[1], c[0], c[2]], digest)], "SignersNotAscending(1)");
  await check("duplicate signer", [header, proof, withdrawals, signDigest([c[0], c[0], c[1]], digest)], "SignersNotAscending(1)");
  const outsider = ctx.wallets[19];
  const withOutsider = ascending([c[0], c[1], outsider]);
  await check("non-member signer", [header, proof, withdrawals, signDigest(withOutsider, digest)], `NotASigner(${outsider.address})`);
  const otherBatch = signDigest(c.slice(0, 3), attestationDigest(sys.chainId, sys.address, 2n, dc));
  results["signatures of another batch"] = await expectRevert(validium, "submitBatch", [header, proof, withdrawals, otherBatch]);
  assert.match(results["signatures of another batch"], /NotASigner|SignersNotAscending/, "signatures of another batch");
  const high = sigs.map((s) => ({ ...s }));
  const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  high[0] = { v: high[0].v === 27 ? 28 : 27, r: high[0].r, s: ethers.toBeHex(N - BigInt(high[0].s), 32) };
  await check("high-s signature", [header, proof, withdrawals, high], "InvalidSignature(0)");

  // The good batch, its gas split, then replays.
  const receipt = await tx(validium.submitBatch(header, proof, withdrawals, sigs));
  const total = Number(receipt.gasUsed);
  const intrinsic = (data) => 21000 + ethers.getBytes(data).reduce((g, b) => g + (b === 0 ? 4 : 16), 0);
  const execution = async (contract, method, args) => Number(await contract[method].estimateGas(...args)) - intrinsic(contract.interface.encodeFunctionData(method, args));
  const proofGas = await execution(sys.verifier, "requireValidProof", [proof.a, proof.b, proof.c, good]);
  const attestationGas = await execution(validium, "checkAttestation", [2n, dc, sys.attest(2n, dc)]);
  const withdrawalsGas = await execution(validium, "withdrawalsCommitment", [withdrawals]);
  const calldataGas = intrinsic(validium.interface.encodeFunctionData("submitBatch", [header, proof, withdrawals, sigs]));
  assert.equal(await validium.claimable(ctx.wallets[2].address), 250_000n);

  // Replayed as is: the signatures were for batch 1, so they recover to strangers now that batch 2 is expected.
  results["replayed batch"] = await expectRevert(validium, "submitBatch", [header, proof, withdrawals, sigs]);
  assert.match(results["replayed batch"], /NotASigner|SignersNotAscending/, "replayed batch");
  await check("replayed batch, fresh attestation", [header, proof, withdrawals, sys.attest(2n, dc)], "InvalidProof");

  return {
    rejections: results,
    gas: {
      submitBatch: total,
      transactionAndCalldata: calldataGas,
      proofVerification: proofGas,
      attestation3of5: attestationGas,
      withdrawalsCommitment2: withdrawalsGas,
      storageEventsAndRest: total - calldataGas - proofGas - attestationGas - withdrawalsGas,
    },
  };
});
