using Validium.Circuits.Gadgets;
using Validium.Crypto;
using Validium.Proving.Circuit;
using Validium.Proving.Gadgets;
using Validium.State;

namespace Validium.Circuits;

/// <summary>The sections that move collateral in and out: L1 deposits, the batch's fee credit, withdrawals.</summary>
public sealed partial class BatchCircuit
{
    /// <summary>
    /// One L1 deposit, consumed from the contract's queue: the chain head advances by Poseidon(head, word, Ax, Ay, amount)
    /// with word = 1 + depositor·2^72 (the depositor's 160-bit range check keeps the word a deposit's), and amount is
    /// credited to an account whose key is (Ax, Ay), or to an empty leaf that becomes a new account with that key.
    /// </summary>
    private void Deposit(ICircuitApi api, Inputs i, Running s)
    {
        var en = i["enabled"];
        api.AssertBoolean(en);
        var depositor = i["depositor"];
        var (ax, ay, amount, account) = (i["ax"], i["ay"], i["amount"], i["account"]);
        var isNew = i["isNew"];
        var (nonce, collateral, positionsRoot) = (i["nonce"], i["collateral"], i["positionsRoot"]);
        var siblings = i.Many("siblings", Config.AccountDepth);

        api.AssertInRange(depositor, BatchEncoding.AddressBits);
        api.AssertInRange(amount, 64);
        var word = api.Add(Fr.FromUInt64(BatchEncoding.DepositKind), api.Mul(depositor, Pow2(72)));
        using (api.Scope("L1 chain"))
            s.OpsHead = api.Select(en, PoseidonGadget.Hash(api, s.OpsHead, word, ax, ay, amount), s.OpsHead);

        var bits = AccountBits(api, account);
        api.AssertBoolean(isNew);
        api.AssertProduct(isNew, nonce, Fr.Zero);
        api.AssertProduct(isNew, collateral, Fr.Zero);
        api.AssertProduct(isNew, api.Sub(positionsRoot, ZeroHashes.EmptyRoot(Config.PositionsDepth)), Fr.Zero);
        var oldLeaf = api.Mul(api.Sub(Fr.One, isNew), AccountGadget.Leaf(api, ax, ay, nonce, collateral, positionsRoot));
        AccountGadget.AssertInTree(api, en, s.AccountsRoot, oldLeaf, siblings, bits);
        var credited = api.Add(collateral, amount);
        Arith.Signed64(api, credited);
        var newLeaf = AccountGadget.Leaf(api, ax, ay, nonce, credited, positionsRoot);
        s.AccountsRoot = AccountGadget.Replace(api, en, s.AccountsRoot, newLeaf, siblings, bits);

        AddWord(api, s, en, api.Add(api.Add(Fr.FromUInt64(BatchEncoding.DepositKind), api.Mul(account, Pow2(8))), api.Mul(amount, Pow2(72))));
    }

    /// <summary>
    /// The batch's fees (takers' and makers', rebates negative) go to the fee account in one update. Its leaf may be
    /// empty only while there is nothing to credit.
    /// </summary>
    private void FeeCredit(ICircuitApi api, Inputs i, Running s)
    {
        var isEmpty = i["isEmpty"];
        var (ax, ay, nonce, collateral, positionsRoot) = (i["ax"], i["ay"], i["nonce"], i["collateral"], i["positionsRoot"]);
        var siblings = i.Many("siblings", Config.AccountDepth);
        var bits = ConstantBits(Config.FeeAccount, Config.AccountDepth);

        api.AssertBoolean(isEmpty);
        var present = api.Sub(Fr.One, isEmpty);
        var oldLeaf = api.Mul(present, AccountGadget.Leaf(api, ax, ay, nonce, collateral, positionsRoot));
        AccountGadget.AssertInTree(api, Fr.One, s.AccountsRoot, oldLeaf, siblings, bits);
        api.AssertProduct(isEmpty, s.FeeSum, Fr.Zero);
        var credited = api.Add(collateral, s.FeeSum);
        Arith.Signed64(api, credited);
        var newLeaf = api.Mul(present, AccountGadget.Leaf(api, ax, ay, nonce, credited, positionsRoot));
        s.AccountsRoot = AccountGadget.Replace(api, Fr.One, s.AccountsRoot, newLeaf, siblings, bits);
    }

    /// <summary>
    /// A withdrawal the account's key signed over Poseidon(11, account, nonce, amount, recipient), with a nonce above
    /// the account's last one (which it becomes), leaving the account within initial margin. It joins the contract's
    /// withdrawals commitment as amount·2^160 + recipient.
    /// </summary>
    private void Withdrawal(ICircuitApi api, Inputs i, Running s)
    {
        var en = i["enabled"];
        api.AssertBoolean(en);
        var (account, nonce, amount, recipient) = (i["account"], i["nonce"], i["amount"], i["recipient"]);
        var (r8x, r8y, sig) = (i["r8x"], i["r8y"], i["s"]);
        var acc = AccountVars.Declare(i.Sub("account"), Config);

        api.AssertInRange(nonce, 64);
        api.AssertInRange(amount, 64);
        api.AssertNonZero(amount);
        api.AssertInRange(recipient, BatchEncoding.AddressBits);
        var bits = AccountBits(api, account);
        var positionsRoot = AccountGadget.PositionsRoot(api, Config, acc.Size, acc.Notional, acc.Funding);
        var leaf = AccountGadget.Leaf(api, acc.Ax, acc.Ay, acc.Nonce, acc.Collateral, positionsRoot);
        AccountGadget.AssertInTree(api, en, s.AccountsRoot, leaf, acc.Siblings, bits);

        using (api.Scope("signature"))
        {
            var message = PoseidonGadget.Hash(api, Fr.FromUInt64((ulong)Exchange.CommandKind.Withdraw), account, nonce, amount, recipient);
            EdDsaPoseidonGadget.Verify(api, acc.Key, new PointVariable(r8x, r8y), sig, message);
        }
        using (api.Scope("nonce"))
            api.AssertLessOrEqual(api.Add(acc.Nonce, Fr.One), nonce, 64);
        var left = api.Sub(acc.Collateral, amount);
        Arith.Signed64(api, left);
        AccountGadget.AssertMargin(api, Config, s.Prices, left, acc.Size, acc.Notional, initial: true, s.Options);
        var newLeaf = AccountGadget.Leaf(api, acc.Ax, acc.Ay, nonce, left, positionsRoot);
        s.AccountsRoot = AccountGadget.Replace(api, en, s.AccountsRoot, newLeaf, acc.Siblings, bits);

        using (api.Scope("withdrawals chain"))
        {
            var entry = api.Add(api.Mul(amount, Pow2(BatchEncoding.AddressBits)), recipient);
            s.Withdrawals = api.Select(en, PoseidonGadget.Hash(api, s.Withdrawals, entry), s.Withdrawals);
        }
        AddWord(api, s, en, api.Add(api.Add(Fr.FromUInt64(BatchEncoding.WithdrawalKind), api.Mul(account, Pow2(8))), api.Mul(amount, Pow2(72))));
        AddWord(api, s, en, api.Add(recipient, api.Mul(nonce, Pow2(BatchEncoding.AddressBits))));
    }
}
