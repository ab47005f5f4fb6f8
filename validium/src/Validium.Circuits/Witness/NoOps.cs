using System.Security.Cryptography;
using System.Text;
using Validium.Crypto;
using Validium.Exchange;

namespace Validium.Circuits.Witness;

/// <summary>
/// The filling of unused trade and withdrawal slots. Their Merkle and state effects are switched off by the slot's
/// enabled input, but signatures, limits and margin are always checked, so an unused slot carries a complete, valid
/// operation of a throwaway key on a throwaway account: one lot at one tick of instrument 0, a withdrawal of 1.
/// </summary>
internal sealed class NoOps
{
    private static readonly byte[] Key = SHA256.HashData(Encoding.ASCII.GetBytes("validium batch circuit: no-op slot key"));
    private const long Collateral = 1L << 62;

    private readonly CircuitConfig cfg;
    private readonly AccountData account;
    private readonly SignedOrder buy, sell;
    private readonly EdDsaSignature withdrawal;

    public NoOps(CircuitConfig cfg)
    {
        this.cfg = cfg;
        var key = EdDsaPoseidon.PrivateToPublic(Key);
        account = AccountData.Open(key, Collateral, cfg.InstrumentCount);
        var ins = cfg.Instruments[0];
        buy = Sign(Command.Place(0, 0, 1, 0, Side.Buy, OrderType.Limit, ins.TickSize, ins.LotSize, 1));
        sell = Sign(Command.Place(0, 0, 2, 0, Side.Sell, OrderType.Limit, ins.TickSize, ins.LotSize, 2));
        withdrawal = EdDsaPoseidon.Sign(Key, BatchEncoding.WithdrawalMessage(0, 1, 1, 0));
    }

    private static SignedOrder Sign(Command c) => new(c, OrderSigning.Sign(c, Key));

    public void Trade(Assignment a)
    {
        a["enabled"] = Fr.Zero;
        a["ticks"] = Fr.One;
        a["lots"] = Fr.One;
        var siblings = new Fr[cfg.AccountDepth];
        var fillSiblings = new Fr[cfg.FillDepth];
        foreach (var (role, o) in new[] { ("taker", buy), ("maker", sell) })
        {
            BatchBuilder.AssignAccount(a.Sub(role + "Account"), account, siblings);
            BatchBuilder.AssignOrder(a.Sub(role), o, 0, fillSiblings, "no-op trade");
        }
    }

    public void Withdrawal(Assignment a)
    {
        a["enabled"] = Fr.Zero;
        a["account"] = Fr.Zero;
        a["nonce"] = Fr.One;
        a["amount"] = Fr.One;
        a["recipient"] = Fr.Zero;
        BatchBuilder.AssignSignature(a, withdrawal, "no-op withdrawal");
        BatchBuilder.AssignAccount(a.Sub("account"), account, new Fr[cfg.AccountDepth]);
    }
}
