using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;

namespace Validium.Batcher.Tests;

public class StoreTests
{
    [Fact]
    public void ARecordWithTradesAndWithdrawalsReadsBackAsWritten()
    {
        static SignedOrder Order(int account, Side side, long nonce)
        {
            var c = Command.Place(1_000 + nonce, account, nonce, 0, side, OrderType.Limit, 50_000, 3, 77, 0);
            return new SignedOrder(c, OrderSigning.Sign(c, Fixture.PrivateKey(account)));
        }
        var withdrawal = new WithdrawalOp(2, 5, 123, Fixture.Address(2),
            EdDsaPoseidon.Sign(Fixture.PrivateKey(2), BatchEncoding.WithdrawalMessage(2, 5, 123, Fixture.Address(2))));
        Fr[] words = [7, 8, 9];
        Fr[] pub = [11, 12, PoseidonSponge.Commit(words), 14, 15, Fixture.Round.Commitment, 17, 3];
        var inputs = BatchCircuit.PublicInputNames.Select((n, i) => (n, pub[i])).ToDictionary(x => x.n, x => x.Item2);
        inputs["trade[0].lots"] = 3;
        var record = new BatchRecord
        {
            Number = 3, Status = BatchStatus.Cut, Reason = CutReason.Time, Through = new StreamPosition(41, 2), Oracle = Fixture.Round, OpsHeadBefore = 14,
            Deposits = [Fixture.Deposit(0)], Trades = [new TradeOp(Order(1, Side.Buy, 1), Order(2, Side.Sell, 1), 50_000, 3)], Withdrawals = [withdrawal],
            DataWords = [.. words], Inputs = inputs, PublicInputs = [.. pub],
        };
        Assert.Null(record.Validate());

        var bytes = BatchFile.Write(record);
        var back = BatchFile.Read(bytes, "test");
        Assert.Equal(bytes, BatchFile.Write(back));
        Assert.Equal(record.Trades.ToArray(), back.Trades.ToArray());
        Assert.Equal(record.Withdrawals.ToArray(), back.Withdrawals.ToArray());
        Assert.Equal(record.Deposits.ToArray(), back.Deposits.ToArray());
        Assert.Equal(record.Through, back.Through);
        Assert.True(EdDsaPoseidon.Verify(back.Trades[0].Taker.Hash, back.Trades[0].Taker.Signature, Fixture.KeyOf(1)));
        Assert.Empty(back.Forced);

        // Forced requests as L1 queued them, a trade's signed size included.
        var forced = record with { Forced = [ForcedOp.Withdrawal(2, Fixture.KeyOf(2), 9, Fixture.Address(2)), ForcedOp.Trade(1, 2, 0, -4, 50_000, Fixture.KeyOf(1), Fixture.KeyOf(2))] };
        var again = BatchFile.Read(BatchFile.Write(forced), "test");
        Assert.Equal(forced.Forced.ToArray(), again.Forced.ToArray());
        Assert.Equal(2, again.L1Operations - again.Deposits.Length);
    }

    [Fact]
    public void A_record_with_liquidations_reads_back_as_written_and_one_without_has_no_liquidations_field()
    {
        Fr[] words = [7];
        Fr[] pub = [11, 12, PoseidonSponge.Commit(words), 14, 15, Fixture.Round.Commitment, 17, 4];
        var record = new BatchRecord
        {
            Number = 4, Status = BatchStatus.Cut, Reason = CutReason.Oracle, Through = new StreamPosition(9, 0), Oracle = Fixture.Round, OpsHeadBefore = 14,
            Deposits = [], Trades = [], Withdrawals = [], DataWords = [.. words], PublicInputs = [.. pub],
            Inputs = BatchCircuit.PublicInputNames.Select((n, i) => (n, pub[i])).ToDictionary(x => x.n, x => x.Item2),
            Liquidations = [new LiquidationOp(3, 34_250_000, 66_750_000, 13_350_000, [new PositionMove(4, 0, 30, 89_000)], 0, [new PositionMove(1, 0, -2, 89_000)], 5)],
        };
        var bytes = BatchFile.Write(record);
        var back = BatchFile.Read(bytes, "test");
        Assert.Equal(bytes, BatchFile.Write(back));
        var (l, r) = (record.Liquidations[0], back.Liquidations[0]);
        Assert.Equal((l.Account, l.TotalValue, l.MaintenanceMargin, l.Penalty, l.Cover, l.Socialised), (r.Account, r.TotalValue, r.MaintenanceMargin, r.Penalty, r.Cover, r.Socialised));
        Assert.Equal(l.Transfers.ToArray(), r.Transfers.ToArray());
        Assert.Equal(l.Deleveraged.ToArray(), r.Deleveraged.ToArray());
        Assert.Equal(1, back.OperationCount);

        var plain = BatchFile.Write(record with { Liquidations = [] });
        Assert.False(System.Text.Encoding.UTF8.GetString(plain).Contains("liquidations", StringComparison.Ordinal));
        Assert.Empty(BatchFile.Read(plain, "test").Liquidations);
    }

    [Fact]
    public async Task DamagedOrMissingBatchFilesStopTheStartWithTheFileAndTheReason()
    {
        using var f = new Fixture();
        await using (var b = f.Start())
        {
            await b.OracleCommittedAsync(Fixture.Round);
            await Fixture.AddDeposits(b, 0, 3);
            await b.FlushAsync();
            await Fixture.Released(b, 2);
        }
        var path = f.Store.PathOf(1);
        var good = File.ReadAllBytes(path);

        void Expect(byte[]? content, string reason)
        {
            if (content is null) File.Delete(path);
            else File.WriteAllBytes(path, content);
            var e = Assert.Throws<InvalidDataException>(() => BatchPipeline.Start(BatchStore.Open(f.Dir), Fixture.Cpu));
            Assert.Contains(reason, e.Message);
            File.WriteAllBytes(path, good);
        }

        var flipped = (byte[])good.Clone();
        flipped[^40] ^= 1;
        Expect(flipped, "SHA-256");
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => BatchFile.Read(flipped, path)).Message);
        Expect(good[..^10], "torn write");
        Expect(null, "batch 1 is missing");
        Expect("hello\n"u8.ToArray(), "not a batch record");

        // Consistent and checksummed, but its operations do not give its public inputs.
        var record = f.Store.Read(1);
        Expect(BatchFile.Write(record with { Deposits = [record.Deposits[1], record.Deposits[0]] }), "the record says");

        await using (var b = f.Start())
            Assert.Equal(new StreamPosition(3, 0), b.ResumeAfter);
    }

    [Fact]
    public void ADataDirectoryRefusesAnotherCircuitOrKey()
    {
        using var f = new Fixture();
        var other = Fixture.Config with { Shape = new BatchShape(3, 0, 0) };
        Assert.Contains("another circuit configuration", Assert.Throws<InvalidOperationException>(() => BatchStore.Initialize(f.Dir, other, Fixture.Key)).Message);
        var otherKey = Fixture.Key with { IC = [.. Fixture.Key.IC.Reverse()] };
        Assert.Contains("another verification key", Assert.Throws<InvalidOperationException>(() => BatchStore.Initialize(f.Dir, Fixture.Config, otherKey)).Message);
        Assert.Throws<ArgumentException>(() => f.Store.ReplaceProvingKey(otherKey));
        Assert.Equal(BatchStore.Initialize(f.Dir, Fixture.Config, Fixture.Key).Directory, f.Store.Directory);
        Assert.Throws<FileNotFoundException>(() => BatchStore.Open(Path.Combine(f.Dir, "nothing-here")));
    }
}
