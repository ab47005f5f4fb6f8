// Timelocked governance (verifier, committee, owner, oracle reporters) and the oracle's own rejections.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { deploy, ethers, expectRevert, increaseTime, run, tx } from "./lib.mjs";
import { ascending, deploySystem, oracleCommitment, signDigest } from "./system.mjs";

const verifierSource = readFileSync(process.argv[2], "utf8");

await run(async (ctx) => {
  const sys = await deploySystem(ctx, verifierSource, { timelockDelay: 7200, forcedDelay: 3600 });
  const { validium, oracle, owner } = sys;
  const stranger = validium.connect(ctx.wallets[4]);
  const r = {};
  const next = await deploy(owner, "Groth16Verifier");
  const nextAddress = await next.getAddress();

  r.strangerProposes = await expectRevert(stranger, "proposeVerifier", [nextAddress]);
  assert.equal(r.strangerProposes, `NotOwner(${ctx.wallets[4].address})`);
  r.executeUnqueued = await expectRevert(validium, "executeVerifier", [nextAddress]);
  assert.match(r.executeUnqueued, /^ChangeNotQueued/);
  await tx(validium.proposeVerifier(nextAddress));
  r.queueTwice = await expectRevert(validium, "proposeVerifier", [nextAddress]);
  assert.match(r.queueTwice, /^ChangeAlreadyQueued/);
  r.executeEarly = await expectRevert(validium, "executeVerifier", [nextAddress]);
  assert.match(r.executeEarly, /^ChangeNotReady/);
  r.executeOther = await expectRevert(validium, "executeVerifier", [ctx.wallets[4].address]);
  assert.match(r.executeOther, /^ChangeNotQueued/, "execute must repeat what was queued");
  await increaseTime(ctx.provider, 7200);
  const receipt = await tx(validium.executeVerifier(nextAddress));
  assert.equal(await validium.verifier(), nextAddress);
  assert.ok(receipt.logs.some((l) => validium.interface.parseLog(l)?.name === "VerifierChanged"));

  // Committee: a new 2-of-2, with bad sets refused at execution.
  const members = ascending(ctx.wallets.slice(15, 17)).map((w) => w.address);
  await tx(validium.proposeCommittee(members, 2));
  const id = await validium.changeId(ethers.encodeBytes32String("committee"), ethers.AbiCoder.defaultAbiCoder().encode(["address[]", "uint256"], [members, 2]));
  assert.notEqual(await validium.readyAt(id), 0n);
  await tx(validium.cancelChange(id));
  assert.equal(await validium.readyAt(id), 0n);
  await tx(validium.proposeCommittee(members, 2));
  await tx(validium.proposeCommittee([...members].reverse(), 1));
  await tx(validium.proposeCommittee(members, 3));
  await increaseTime(ctx.provider, 7200);
  r.unsortedCommittee = await expectRevert(validium, "executeCommittee", [[...members].reverse(), 1]);
  assert.equal(r.unsortedCommittee, "BadSignerSet");
  r.thresholdAboveMembers = await expectRevert(validium, "executeCommittee", [members, 3]);
  assert.equal(r.thresholdAboveMembers, "BadSignerSet");
  await tx(validium.executeCommittee(members, 2));
  assert.deepEqual([...(await validium.signers())], members);
  assert.equal(await validium.isSigner(sys.committee[0].address), false, "old members are out");

  // Owner handover through the same delay.
  await tx(validium.proposeOwner(ctx.wallets[4].address));
  await increaseTime(ctx.provider, 7200);
  await tx(validium.executeOwner(ctx.wallets[4].address));
  assert.equal(await validium.owner(), ctx.wallets[4].address);
  r.oldOwner = await expectRevert(validium, "proposeVerifier", [nextAddress]);
  assert.equal(r.oldOwner, `NotOwner(${owner.address})`);

  // The oracle: rounds in order, timestamps increasing and not ahead of the chain, prices positive, reporters k-of-n.
  const first = await sys.publishPrices([1n, 2n, 3n, 4n]);
  assert.equal(await oracle.commitmentOf(1n), oracleCommitment(1n, first.timestamp, [1n, 2n, 3n, 4n]));
  await increaseTime(ctx.provider, 10);
  const now = BigInt((await ctx.provider.getBlock("latest")).timestamp);
  const sign = (round, ts, prices, who = sys.reporters.slice(0, 2)) =>
    signDigest(who, ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint256", "address", "uint64", "uint64", "uint64[]"], [sys.chainId, sys.oracle.target, round, ts, prices])));
  const p = [5n, 6n, 7n, 8n];
  r.oracleSkipsRound = await expectRevert(oracle, "update", [3n, now, p, sign(3n, now, p)]);
  assert.equal(r.oracleSkipsRound, "RoundOutOfOrder(3,2)");
  r.oracleOldTimestamp = await expectRevert(oracle, "update", [2n, first.timestamp, p, sign(2n, first.timestamp, p)]);
  assert.equal(r.oracleOldTimestamp, `TimestampOutOfOrder(${first.timestamp},${first.timestamp})`);
  r.oracleFuture = await expectRevert(oracle, "update", [2n, now + 1000n, p, sign(2n, now + 1000n, p)]);
  assert.equal(r.oracleFuture, `TimestampInFuture(${now + 1000n})`);
  r.oracleOneSignature = await expectRevert(oracle, "update", [2n, now, p, sign(2n, now, p, sys.reporters.slice(0, 1))]);
  assert.equal(r.oracleOneSignature, "TooFewSignatures(1,2)");
  r.oracleOtherPrices = await expectRevert(oracle, "update", [2n, now, [5n, 6n, 7n, 9n], sign(2n, now, p)]);
  assert.match(r.oracleOtherPrices, /^NotASigner|^SignersNotAscending/);
  r.oracleZeroPrice = await expectRevert(oracle, "update", [2n, now, [5n, 0n, 7n, 8n], sign(2n, now, [5n, 0n, 7n, 8n])]);
  assert.equal(r.oracleZeroPrice, "ZeroPrice(1)");
  r.oracleWrongCount = await expectRevert(oracle, "update", [2n, now, [5n, 6n, 7n], sign(2n, now, [5n, 6n, 7n])]);
  assert.equal(r.oracleWrongCount, "WrongPriceCount(3,4)");
  const update = await tx(oracle.update(2n, now, p, sign(2n, now, p)));
  assert.equal(await oracle.commitmentOf(2n), oracleCommitment(2n, now, p));

  // Commitment packing across several Poseidon calls: 14 instruments = 5 words = two absorptions.
  const wide = await deploy(owner, "PriceOracle", await sys.p6.getAddress(), 14, sys.reporters.map((w) => w.address), 2, owner.address, 7200);
  const many = Array.from({ length: 14 }, (_, i) => BigInt(1000 + i * 37));
  assert.equal(await wide.commit(7n, 123456n, many), oracleCommitment(7n, 123456n, many));
  return { rejections: r, gas: { oracleUpdate4: Number(update.gasUsed) } };
});
