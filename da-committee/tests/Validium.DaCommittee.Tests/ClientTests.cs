using System.Diagnostics.Metrics;
using Validium.Crypto;
using Validium.DaCommittee.Client;

namespace Validium.DaCommittee.Tests;

/// <summary>The fan-out client against members in this process on loopback: thresholds, bad members, retries, availability.</summary>
public sealed class ClientTests
{
    private static void AssertValidBundle(AttestationBundle bundle, LocalCommittee c, int expectedSigners)
    {
        Assert.Equal(expectedSigners, bundle.Signatures.Count);
        var addresses = bundle.Signatures.Select(s => LocalCommittee.AddressValue(s.Signer)).ToArray();
        Assert.Equal(addresses.Order(), addresses);
        Assert.Equal(addresses.Length, addresses.Distinct().Count());
        foreach (var s in bundle.Signatures)
        {
            Assert.Equal(s.Signer, EthereumEcdsa.Recover(Eip191.HashPersonalMessage(bundle.Digest), s.Signature));
            Assert.True(c.Committee.Contains(s.Signer));
        }
    }

    [Fact]
    public async Task Two_of_three_with_one_member_down_attests_with_the_two_ordered_by_address()
    {
        await using var c = await LocalCommittee.StartAsync(3, 2);
        await c.StopMemberAsync(1);
        using var client = c.Client(TimeSpan.FromSeconds(5));
        var data = LocalCommittee.BatchData(100, 1);
        var bundle = await client.AttestAsync(12, data);
        AssertValidBundle(bundle, c, 2);
        Assert.DoesNotContain(c.Keys[1].Address, bundle.Signatures.Select(s => s.Signer));
        Assert.Equal(PoseidonSponge.Commit(PoseidonSponge.FromBytes(data)), bundle.Commitment);
        Assert.Equal(AvailabilityState.Available, client.Availability.State);

        var arg = bundle.ToContractArgument();
        Assert.Equal(2, arg.Length);
        var first = (object?[])arg[0]!;
        Assert.Equal(bundle.Signatures[0].Signature.ToBytes()[..32], first[1]);
    }

    [Fact]
    public async Task A_member_returning_a_bad_signature_is_not_counted()
    {
        await using var c = await LocalCommittee.StartAsync(3, 2);
        await using var liar = await TamperingMember.StartAsync(c.Urls[0], r => r with { Signature = TamperingMember.FlipLastRByte(r.Signature) });
        await using var wrongBatch = await TamperingMember.StartAsync(c.Urls[2], r => r with { BatchNumber = r.BatchNumber + 1 });

        // Liar + two honest: the threshold is met without the liar.
        using (var client = c.Client(urls: [liar.Url, c.Urls[1], c.Urls[2]]))
        {
            var bundle = await client.AttestAsync(1, LocalCommittee.BatchData(10, 2));
            AssertValidBundle(bundle, c, 2);
            Assert.Equal(new[] { c.Keys[1].Address, c.Keys[2].Address }.OrderBy(LocalCommittee.AddressValue), bundle.Signatures.Select(s => s.Signer));
        }

        // Liar + one honest + one that answers for another batch: below threshold, refused without waiting out the timeout.
        using (var client = c.Client(TimeSpan.FromSeconds(30), urls: [liar.Url, c.Urls[1], wrongBatch.Url]))
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<AttestationUnavailableException>(() => client.AttestAsync(2, LocalCommittee.BatchData(10, 3)));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "refusals are final: the client must not retry them until the timeout");
            Assert.Equal((1, 2), (e.Valid, e.Threshold));
            Assert.Contains("bad signature", e.Failures[liar.Url]);
            Assert.Contains("answered for batch 3", e.Failures[wrongBatch.Url]);
            Assert.False(e.Failures.ContainsKey(c.Urls[1]));
            Assert.Equal(AvailabilityState.Degraded, client.Availability.State);
        }
    }

    [Fact]
    public async Task Signatures_from_keys_outside_the_committee_do_not_count()
    {
        await using var c = await LocalCommittee.StartAsync(3, 2);
        // The client's (on-chain) committee has replaced member 0 with a key nobody runs.
        var onChain = new CommitteeSnapshot([Secp256k1PrivateKey.Generate().Address, c.Keys[1].Address, c.Keys[2].Address], 3);
        using var client = c.Client(TimeSpan.FromSeconds(3), committee: new StaticCommittee(onChain));
        var e = await Assert.ThrowsAsync<AttestationUnavailableException>(() => client.AttestAsync(4, LocalCommittee.BatchData(5, 4)));
        Assert.Equal((2, 3), (e.Valid, e.Threshold));
        Assert.Contains("is not in the committee", e.Failures[c.Urls[0]]);
    }

    [Fact]
    public async Task A_member_that_comes_up_late_is_retried_until_it_answers()
    {
        int port = LocalCommittee.FreePort();
        await using var c = await LocalCommittee.StartAsync(3, 3);
        await c.StopMemberAsync(2);
        using var client = c.Client(TimeSpan.FromSeconds(20), urls: [c.Urls[0], c.Urls[1], new Uri($"http://127.0.0.1:{port}/")]);
        var attest = client.AttestAsync(8, LocalCommittee.BatchData(30, 5));
        await Task.Delay(400);
        Assert.False(attest.IsCompleted);
        await c.StartMemberAsync(2, port);
        AssertValidBundle(await attest, c, 3);
    }

    [Fact]
    public async Task Below_threshold_the_availability_state_degrades_then_halts_sequencing_and_recovers()
    {
        await using var c = await LocalCommittee.StartAsync(3, 2);
        // Warm every member up (JIT, first RocksDB write) so the short timeout below measures availability, not start-up.
        using (var warm = c.Client()) await warm.AttestAsync(100, LocalCommittee.BatchData(4, 100));
        await c.StopMemberAsync(0);
        await c.StopMemberAsync(1);
        using var availability = new DacAvailability(maxUnattestedBatches: 2);
        var seen = new List<(string, long)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == DacClient.MeterName && i.Name == "validium.dac.availability") l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => seen.Add((i.Name, v)));
        listener.Start();

        using var client = c.Client(TimeSpan.FromSeconds(3), availability: availability);
        var e = await Assert.ThrowsAsync<AttestationUnavailableException>(() => client.AttestAsync(1, LocalCommittee.BatchData(4, 1)));
        Assert.Equal((1, 2), (e.Valid, e.Threshold));
        Assert.Contains("unreachable", e.Failures[c.Urls[0]]);
        Assert.Equal(AvailabilityState.Degraded, availability.State);
        Assert.True(availability.CanSequence);
        Assert.Contains("oldest 1", availability.Alert);
        listener.RecordObservableInstruments();
        Assert.Contains(("validium.dac.availability", (long)AvailabilityState.Degraded), seen);

        await Assert.ThrowsAsync<AttestationUnavailableException>(() => client.AttestAsync(2, LocalCommittee.BatchData(4, 2)));
        Assert.Equal(AvailabilityState.Halted, availability.State);
        Assert.False(availability.CanSequence);

        await c.StartMemberAsync(0);
        await client.AttestAsync(1, LocalCommittee.BatchData(4, 1));
        Assert.Equal(AvailabilityState.Degraded, availability.State);
        await client.AttestAsync(2, LocalCommittee.BatchData(4, 2));
        Assert.Equal(AvailabilityState.Available, availability.State);
        Assert.Null(availability.Alert);
        Assert.Equal(2ul, availability.LastAttested);
    }
}
