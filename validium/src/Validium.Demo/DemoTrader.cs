using System.Security.Cryptography;
using System.Text;
using Validium.Crypto;

namespace Validium.Demo;

public enum TraderRole
{
    Fee,
    Maker,
    Taker,
    Load,
}

/// <summary>
/// A simulated trader's two keys: secp256k1 for its L1 transactions, BabyJubjub (EdDSA-Poseidon) for the exchange.
/// Both are derived from the run's seed, so a demo reusing its directory finds the same traders and accounts again.
/// <see cref="Account"/> is learnt from the node once the L1 deposit reached the exchange.
/// </summary>
public sealed class DemoTrader
{
    private DemoTrader(TraderRole role, int index, int seed)
    {
        Role = role;
        Index = index;
        L1Key = Secp256k1PrivateKey.FromBytes(Derive(seed, role, index, "l1"));
        L2Private = Derive(seed, role, index, "l2");
        L2Public = EdDsaPoseidon.PrivateToPublic(L2Private);
    }

    public TraderRole Role { get; }
    public int Index { get; }
    public Secp256k1PrivateKey L1Key { get; }
    public byte[] L2Private { get; }
    public BabyJubjubPoint L2Public { get; }
    public int Account { get; set; } = -1;

    public string Name => Role switch
    {
        TraderRole.Fee => "fee account",
        TraderRole.Maker => $"market maker {Index + 1}",
        TraderRole.Taker => $"taker {Index + 1}",
        _ => $"load {Index + 1}",
    };

    /// <summary>The fee account's key (the node's Exchange:OperatorKey), then the makers, the takers and the load traders.</summary>
    public sealed record Set(DemoTrader Fee, IReadOnlyList<DemoTrader> Makers, IReadOnlyList<DemoTrader> Takers, IReadOnlyList<DemoTrader> Load)
    {
        public IReadOnlyList<DemoTrader> All => [Fee, .. Makers, .. Takers, .. Load];

        public IReadOnlyList<DemoTrader> Trading => [.. Makers, .. Takers];
    }

    public static Set Create(int seed, int makers, int takers, int load) => new(
        new DemoTrader(TraderRole.Fee, 0, seed),
        [.. Enumerable.Range(0, makers).Select(i => new DemoTrader(TraderRole.Maker, i, seed))],
        [.. Enumerable.Range(0, takers).Select(i => new DemoTrader(TraderRole.Taker, i, seed))],
        [.. Enumerable.Range(0, load).Select(i => new DemoTrader(TraderRole.Load, i, seed))]);

    private static byte[] Derive(int seed, TraderRole role, int index, string purpose) =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"vld demo/{seed}/{role}/{index}/{purpose}"));
}
