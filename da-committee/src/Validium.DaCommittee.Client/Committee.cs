using System.Numerics;
using Validium.Crypto;
using Validium.L1.Abi;
using Validium.L1.Contracts;
using Validium.L1.Rpc;

namespace Validium.DaCommittee.Client;

/// <summary>The committee the contract accepts signatures from: distinct members and 1 ≤ threshold ≤ members.</summary>
public sealed record CommitteeSnapshot
{
    public CommitteeSnapshot(IReadOnlyList<EthereumAddress> members, int threshold)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Distinct().Count() != members.Count) throw new ArgumentException("committee members must be distinct", nameof(members));
        if (threshold < 1 || threshold > members.Count) throw new ArgumentOutOfRangeException(nameof(threshold), $"threshold {threshold} must be in 1..{members.Count}");
        Members = members;
        Threshold = threshold;
    }

    public IReadOnlyList<EthereumAddress> Members { get; }
    public int Threshold { get; }

    public bool Contains(EthereumAddress a) => Members.Contains(a);
}

/// <summary>Where the current committee comes from: the L1 contract, or fixed configuration for a local committee.</summary>
public interface ICommitteeSource
{
    /// <summary>"l1" or "static", for status pages.</summary>
    string Kind { get; }

    Task<CommitteeSnapshot> GetAsync(CancellationToken ct);
}

public sealed class StaticCommittee(CommitteeSnapshot committee) : ICommitteeSource
{
    public string Kind => "static";

    public Task<CommitteeSnapshot> GetAsync(CancellationToken ct) => Task.FromResult(committee);
}

/// <summary>
/// The committee as the Validium contract holds it (signers() and threshold(), Governance.sol SignerSet), cached for
/// <paramref name="cacheFor"/> so a burst of submissions costs one pair of calls.
/// </summary>
public sealed class L1Committee(EthClient eth, EthereumAddress validium, TimeSpan cacheFor) : ICommitteeSource
{
    private readonly Contract contract = new(eth, ValidiumAbi.Committee, validium);
    private readonly SemaphoreSlim gate = new(1, 1);
    private (CommitteeSnapshot Committee, long At)? cached;

    public string Kind => "l1";

    public async Task<CommitteeSnapshot> GetAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            if (cached is { } c && Environment.TickCount64 - c.At < cacheFor.TotalMilliseconds) return c.Committee;
            var signers = (object?[])(await contract.CallAsync("signers", [], ct: ct))[0]!;
            var threshold = (BigInteger)(await contract.CallAsync("threshold", [], ct: ct))[0]!;
            if (threshold > int.MaxValue) throw new InvalidDataException($"the contract's threshold {threshold} is not a usable number");
            var committee = new CommitteeSnapshot(signers.Cast<EthereumAddress>().ToArray(), (int)threshold);
            cached = (committee, Environment.TickCount64);
            return committee;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The contract's count of proven batches (its batchNumber()), at <paramref name="block"/>.</summary>
    public async Task<ulong> ProvenBatchesAsync(string block, CancellationToken ct) =>
        (ulong)(BigInteger)(await contract.CallAsync("batchNumber", [], block: block, ct: ct))[0]!;
}

/// <summary>The slice of Validium.sol's ABI the committee uses (the full ABI is in the build.mjs artifacts).</summary>
public static class ValidiumAbi
{
    public static readonly ContractAbi Committee = ContractAbi.Parse("""
        [
          {"type":"function","name":"signers","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"address[]"}]},
          {"type":"function","name":"threshold","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
          {"type":"function","name":"batchNumber","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"uint64"}]},
          {"type":"function","name":"attestationDigest","stateMutability":"view","inputs":[{"name":"number","type":"uint64"},{"name":"dataCommitment","type":"uint256"}],"outputs":[{"name":"","type":"bytes32"}]},
          {"type":"function","name":"checkAttestation","stateMutability":"view","inputs":[{"name":"number","type":"uint64"},{"name":"dataCommitment","type":"uint256"},
            {"name":"sigs","type":"tuple[]","components":[{"name":"v","type":"uint8"},{"name":"r","type":"bytes32"},{"name":"s","type":"bytes32"}]}],"outputs":[]},
          {"type":"error","name":"TooFewSignatures","inputs":[{"name":"given","type":"uint256"},{"name":"threshold","type":"uint256"}]},
          {"type":"error","name":"InvalidSignature","inputs":[{"name":"index","type":"uint256"}]},
          {"type":"error","name":"SignersNotAscending","inputs":[{"name":"index","type":"uint256"}]},
          {"type":"error","name":"NotASigner","inputs":[{"name":"signer","type":"address"}]}
        ]
        """);
}
