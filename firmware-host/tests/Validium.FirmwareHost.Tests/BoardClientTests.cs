using Microsoft.Extensions.Logging;
using Validium.Crypto;
using Validium.FirmwareHost.Simulator;

namespace Validium.FirmwareHost.Tests;

public class BoardClientTests
{
    public static TheoryData<string> Links => Boards.Links;

    [Theory]
    [MemberData(nameof(Links))]
    public void InitialiseReadsIdentityCapabilitiesAndSensors(string link)
    {
        using var b = new Boards(link);
        var info = b.Client.Initialise();
        Assert.Equal($"{BoardConstants.SupportedMajor}.{BoardConstants.MinimumMinor}.0", info.VersionText);
        Assert.Equal(BoardCapabilities.MsmG1 | BoardCapabilities.Poseidon, info.Capabilities);
        Assert.Equal(16, info.MaxPoseidonArity);
        var s = b.Client.ReadSensors();
        Assert.Equal(45_000, s.TemperatureMilliCelsius);
        Assert.Equal(850, s.VccIntMillivolts);
        Assert.Equal(BoardStatus.Idle, s.Status);
        b.Transport.WriteRegister(Reg.Scratch, 0xDEADBEEF);
        Assert.Equal(0xDEADBEEFu, b.Transport.ReadRegister(Reg.Scratch));
    }

    [Theory]
    [MemberData(nameof(Links))]
    public void PoseidonJobMatchesCrypto(string link)
    {
        using var b = new Boards(link);
        b.Client.Initialise();
        var rng = new Random(11);
        foreach (int arity in new[] { 1, 2, 5, 16 })
        {
            var inputs = Boards.Scalars(rng, 7 * arity);
            var got = b.Hash(inputs, arity);
            for (int i = 0; i < 7; i++)
                Assert.Equal(Poseidon.Hash(inputs.AsSpan(i * arity, arity)), Fr.ReadBigEndian(got.AsSpan(i * 32, 32)));
        }
        Assert.Equal(4u, b.Transport.ReadRegister(Reg.JobId));
    }

    [Theory]
    [MemberData(nameof(Links))]
    public void MsmJobMatchesSumOfScalarMultiples(string link)
    {
        using var b = new Boards(link);
        b.Client.Initialise();
        var rng = new Random(12);
        const int n = 64;
        var scalars = Boards.Scalars(rng, n);
        var points = Boards.Scalars(rng, n).Select(k => G1Affine.Generator * k).ToArray();
        points[5] = G1Affine.Infinity;
        scalars[6] = Fr.Zero;
        var expected = G1Jacobian.Infinity;
        for (int i = 0; i < n; i++) expected = expected.Add(points[i].ToJacobian().Multiply(scalars[i]));
        var got = b.Client.Run(BoardOpcode.MsmG1, n, 0, Boards.MsmInput(points, scalars), 64, default);
        Assert.Equal(expected.ToAffine(), G1Affine.ReadUncompressed(got));
    }

    [Theory]
    [MemberData(nameof(Links))]
    public void BadJobsComeBackAsBoardErrors(string link)
    {
        using var b = new Boards(link);
        b.Client.Initialise();
        var input = Boards.PoseidonInput(new Fr[4]);
        var ex = Assert.Throws<BoardJobException>(() => b.Client.Run(BoardOpcode.PoseidonBatch, 3, 2, input, 96, default));
        Assert.Equal(BoardError.InputLengthMismatch, ex.Code);
        Assert.Contains("ERROR_CODE=0x00000004", ex.Message);
        Assert.Equal(BoardError.BadArity, Assert.Throws<BoardJobException>(() => b.Client.Run(BoardOpcode.PoseidonBatch, 1, 17, new byte[17 * 32], 32, default)).Code);
        var offCurve = new byte[96];
        offCurve[31] = 1;
        Assert.Equal(BoardError.MalformedInput, Assert.Throws<BoardJobException>(() => b.Client.Run(BoardOpcode.MsmG1, 1, 0, offCurve, 64, default)).Code);
        Assert.True(b.Log.Has(LogLevel.Error, "MalformedInput"));
        Assert.Equal(Poseidon.Hash([Fr.One]), Fr.ReadBigEndian(b.Hash([Fr.One], 1)));
    }

    [Theory]
    [MemberData(nameof(Links))]
    public void IncompatibleFirmwareIsRefused(string link)
    {
        using var b = new Boards(link);
        b.Board.Faults.ReportedVersion = BoardConstants.PackVersion(2, 0, 0);
        var ex = Assert.Throws<IncompatibleBoardException>(() => b.Client.Initialise());
        Assert.Contains("2.0.0", ex.Message);
        Assert.Contains("VERSION=0x00020000", ex.Message);
        Assert.True(b.Log.Has(LogLevel.Error, "refusing the board"));
        b.Board.Faults.ReportedVersion = BoardConstants.PackVersion(1, BoardConstants.MinimumMinor - 1, 9);
        Assert.Throws<IncompatibleBoardException>(() => b.Client.Initialise());
        Assert.Throws<InvalidOperationException>(() => b.Hash([Fr.One], 1));
    }

    [Theory]
    [MemberData(nameof(Links))]
    public void StuckBusyTimesOutResetsAndRecovers(string link)
    {
        using var b = new Boards(link, clientOptions: new BoardClientOptions { JobTimeout = TimeSpan.FromMilliseconds(100) });
        b.Client.Initialise();
        b.Board.Faults.StuckBusy = 1;
        var ex = Assert.Throws<BoardTimeoutException>(() => b.Hash([Fr.One], 1));
        Assert.Contains("STATUS=0x00000002", ex.Message);
        Assert.Equal(1, b.Board.Resets);
        Assert.Equal(1, b.Client.Resets);
        Assert.Equal(1, b.Client.Hangs);
        Assert.Equal(0, b.Client.LostReadySignals);
        Assert.True(b.Log.Has(LogLevel.Error, "gave no ready signal"));
        Assert.Equal(Poseidon.Hash([Fr.One]), Fr.ReadBigEndian(b.Hash([Fr.One], 1)));
    }

    [Fact]
    public void CancellationMidJobResetsTheBoard()
    {
        using var b = new Boards("spi", new SimulatedBoardOptions { Latency = new LatencyModel(TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.Zero) });
        b.Client.Initialise();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.ThrowsAny<OperationCanceledException>(() => b.Hash([Fr.One], 1, cts.Token));
        Assert.Equal(1, b.Board.Resets);
        Assert.Equal(BoardStatus.Idle, (BoardStatus)b.Transport.ReadRegister(Reg.Status));
    }

    [Fact]
    public void LostReadyLineIsNoticedAndTheResultUsed()
    {
        using var b = new Boards("spi", clientOptions: new BoardClientOptions { JobTimeout = TimeSpan.FromMilliseconds(100) });
        b.Client.Initialise();
        b.Board.Faults.LostReady = 1;
        Assert.Equal(Poseidon.Hash([Fr.One]), Fr.ReadBigEndian(b.Hash([Fr.One], 1)));
        Assert.True(b.Log.Has(LogLevel.Warning, "ready signal lost"));
        Assert.Equal(0, b.Board.Resets);
        Assert.Equal(1, b.Client.LostReadySignals);
        Assert.Equal(0, b.Client.Hangs);
    }

    [Fact]
    public void CrcErrorsAreRetriedWithinBudget()
    {
        using var b = new Boards("spi");
        var spi = (SpiTransport)b.Transport;
        b.Client.Initialise();
        b.Board.Faults.CorruptResponses = 2;
        Assert.Equal(Poseidon.Hash([Fr.One]), Fr.ReadBigEndian(b.Hash([Fr.One], 1)));
        b.Board.Faults.CorruptRequests = 1;
        Assert.Equal(Poseidon.Hash([Fr.Zero]), Fr.ReadBigEndian(b.Hash([Fr.Zero], 1)));
        Assert.Equal(3, spi.CrcRetriesUsed);
        Assert.True(b.Log.Has(LogLevel.Warning, "response CRC mismatch"));
        Assert.True(b.Log.Has(LogLevel.Warning, "bad request CRC"), string.Join("\n", b.Log.Lines));
        b.Board.Faults.CorruptResponses = 4;
        Assert.Throws<BoardCrcException>(() => b.Transport.ReadRegister(Reg.Id));
        Assert.True(b.Log.Has(LogLevel.Error, "failed CRC 4 times"));
        Assert.Equal(BoardConstants.IdValue, b.Transport.ReadRegister(Reg.Id));
    }

    [Fact]
    public void HotBoardHoldsJobsUntilItCools()
    {
        using var b = new Boards("xdma", clientOptions: new BoardClientOptions { ThrottleWait = TimeSpan.FromSeconds(5), ThrottlePoll = TimeSpan.FromMilliseconds(5) });
        b.Client.Initialise();
        b.Board.TemperatureMilliCelsius = 90_000;
        using var cool = new Timer(_ => b.Board.TemperatureMilliCelsius = 60_000, null, 100, Timeout.Infinite);
        Assert.Equal(Poseidon.Hash([Fr.One]), Fr.ReadBigEndian(b.Hash([Fr.One], 1)));
        Assert.True(b.Log.Has(LogLevel.Warning, "holding jobs"));
        Assert.True(b.Log.Has(LogLevel.Information, "die cooled"));
        Assert.Equal(1, b.Client.ThermalHolds);
        Assert.Equal(0, b.Client.ThermalRefusals);
    }

    [Fact]
    public void BoardThatStaysHotIsRefused()
    {
        using var b = new Boards("xdma", clientOptions: new BoardClientOptions { ThrottleWait = TimeSpan.FromMilliseconds(50), ThrottlePoll = TimeSpan.FromMilliseconds(5) });
        b.Client.Initialise();
        b.Board.TemperatureMilliCelsius = 95_000;
        var ex = Assert.Throws<BoardOverTemperatureException>(() => b.Hash([Fr.One], 1));
        Assert.Contains("TEMPERATURE=0x00017318", ex.Message);
        Assert.Equal(0, b.Board.JobsStarted);
        Assert.Equal(1, b.Client.ThermalHolds);
        Assert.Equal(1, b.Client.ThermalRefusals);
    }

    [Fact]
    public void BoardRefusesToStartAboveItsOwnLimit()
    {
        using var b = new Boards("spi", new SimulatedBoardOptions { ThermalLimitMilliCelsius = 70_000 });
        b.Client.Initialise();
        b.Board.TemperatureMilliCelsius = 75_000;
        Assert.True(((BoardStatus)b.Transport.ReadRegister(Reg.Status)).HasFlag(BoardStatus.Throttled));
        Assert.Throws<BoardOverTemperatureException>(() => b.Hash([Fr.One], 1));
        Assert.True(b.Log.Has(LogLevel.Error, "OverTemperature"));
    }
}
