using Validium.Crypto;
using Validium.FirmwareHost.Simulator;

namespace Validium.FirmwareHost.Tests;

/// <summary>A simulated board with a client over the named link, and job encodings written from hardware.md.</summary>
public sealed class Boards : IDisposable
{
    public Boards(string link, SimulatedBoardOptions? options = null, BoardClientOptions? clientOptions = null)
    {
        Board = new SimulatedBoard(options);
        Log = new ListLogger();
        Transport = link switch
        {
            "spi" => SimulatedTransports.Spi(Board, logger: Log),
            "xdma" => SimulatedXdma.Transport(Board),
            _ => throw new ArgumentException($"unknown link {link}"),
        };
        Client = new BoardClient(Transport, clientOptions ?? new BoardClientOptions { JobTimeout = TimeSpan.FromSeconds(5) }, Log);
    }

    public static TheoryData<string> Links => ["spi", "xdma"];

    public SimulatedBoard Board { get; }

    public ListLogger Log { get; }

    public IBoardTransport Transport { get; }

    public BoardClient Client { get; }

    public static byte[] PoseidonInput(Fr[] inputs)
    {
        var b = new byte[inputs.Length * 32];
        for (int i = 0; i < inputs.Length; i++) inputs[i].WriteBigEndian(b.AsSpan(i * 32));
        return b;
    }

    public static byte[] MsmInput(G1Affine[] points, Fr[] scalars)
    {
        var b = new byte[points.Length * 96];
        for (int i = 0; i < points.Length; i++)
        {
            points[i].WriteUncompressed(b.AsSpan(i * 96));
            scalars[i].WriteBigEndian(b.AsSpan(i * 96 + 64));
        }
        return b;
    }

    public static Fr[] Scalars(Random rng, int n)
    {
        var s = new Fr[n];
        var buf = new byte[32];
        for (int i = 0; i < n; i++)
        {
            rng.NextBytes(buf);
            s[i] = Fr.FromBytesReduced(buf);
        }
        return s;
    }

    public byte[] Hash(Fr[] inputs, int arity, CancellationToken ct = default) =>
        Client.Run(BoardOpcode.PoseidonBatch, (uint)(inputs.Length / arity), (uint)arity, PoseidonInput(inputs), inputs.Length / arity * 32, ct);

    public void Dispose()
    {
        Client.Dispose();
        Board.Dispose();
    }
}
