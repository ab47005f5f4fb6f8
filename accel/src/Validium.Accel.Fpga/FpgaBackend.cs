using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Validium.Crypto;
using Validium.FirmwareHost;

namespace Validium.Accel.Fpga;

/// <summary>
/// The accelerator board as a backend: G1 MSM and batch Poseidon run on the board through
/// <see cref="BoardClient"/> (whichever link it sits on); every other op is reported unsupported, so the
/// dispatcher keeps it on the CPU. Board failures surface as exceptions the dispatcher turns into fallbacks.
/// </summary>
public sealed class FpgaBackend : IAccelBackend
{
    private const int MsmRecord = 96;
    private const int Word = 32;

    private readonly BoardClient client;

    /// <summary>Initialises the board; throws <see cref="IncompatibleBoardException"/> for a board it cannot drive.</summary>
    public FpgaBackend(BoardClient client, int index = 0)
    {
        this.client = client;
        var info = client.Initialise();
        var ops = new HashSet<AccelOp>();
        if ((info.Capabilities & BoardCapabilities.MsmG1) != 0) ops.Add(AccelOp.MsmG1);
        if ((info.Capabilities & BoardCapabilities.Poseidon) != 0) ops.Add(AccelOp.PoseidonBatch);
        int maxMsm = (int)Math.Min(1L << info.MaxMsmLog, DataWindow.InputBytes / MsmRecord);
        Device = new Device(DeviceKind.Fpga, index, $"accelerator board {info.VersionText} on {client.Transport.Name}");
        Capabilities = new DeviceCapabilities(ops, maxMsm, 0, Math.Min(info.MaxPoseidonArity, 16),
            $"firmware {info.VersionText}, MSM up to {maxMsm} points, Poseidon arity up to {info.MaxPoseidonArity}");
    }

    /// <summary>Opens and initialises a board; false (with the reason, logged) instead of throwing.</summary>
    public static bool TryCreate(Func<IBoardTransport> open, int index, BoardClientOptions? options, ILogger? logger, out FpgaBackend? backend, out string reason)
    {
        logger ??= NullLogger.Instance;
        backend = null;
        IBoardTransport? transport = null;
        try
        {
            transport = open();
            backend = new FpgaBackend(new BoardClient(transport, options, logger), index);
            reason = "";
            return true;
        }
        catch (Exception ex) when (ex is BoardException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            transport?.Dispose();
            reason = $"{ex.GetType().Name}: {ex.Message}";
            logger.LogWarning("FPGA board {Index} not used: {Reason}", index, reason);
            return false;
        }
    }

    public Device Device { get; }

    public DeviceCapabilities Capabilities { get; }

    public BoardClient Client => client;

    public G1Jacobian MsmG1(ReadOnlySpan<G1Affine> points, ReadOnlySpan<Fr> scalars, CancellationToken ct = default)
    {
        Validate.Msm(points.Length, scalars.Length);
        Require(AccelOp.MsmG1);
        if (points.Length > Capabilities.MaxMsmSize)
            throw new ArgumentException($"{points.Length} points exceed the board's MSM limit of {Capabilities.MaxMsmSize}");
        var input = new byte[points.Length * MsmRecord];
        for (int i = 0; i < points.Length; i++)
        {
            points[i].WriteUncompressed(input.AsSpan(i * MsmRecord));
            scalars[i].WriteBigEndian(input.AsSpan(i * MsmRecord + 64));
        }
        var result = client.Run(BoardOpcode.MsmG1, (uint)points.Length, 0, input, 64, ct);
        try
        {
            return G1Affine.ReadUncompressed(result).ToJacobian();
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"{Device}: MSM result is not a G1 point ({ex.Message}): {Convert.ToHexString(result)}", ex);
        }
    }

    public void PoseidonBatch(ReadOnlySpan<Fr> inputs, int arity, Span<Fr> outputs, CancellationToken ct = default)
    {
        Validate.PoseidonBatch(inputs.Length, arity, outputs.Length);
        Require(AccelOp.PoseidonBatch);
        if (arity > Capabilities.MaxPoseidonArity)
            throw new ArgumentOutOfRangeException(nameof(arity), $"the board hashes at most {Capabilities.MaxPoseidonArity} inputs, got arity {arity}");
        // One job fills at most one window either way; larger batches go as several jobs.
        int perJob = (int)Math.Min(DataWindow.OutputBytes / Word, DataWindow.InputBytes / ((long)Word * arity));
        for (int done = 0; done < outputs.Length; done += perJob)
        {
            int n = Math.Min(perJob, outputs.Length - done);
            var input = new byte[n * arity * Word];
            var chunk = inputs.Slice(done * arity, n * arity);
            for (int i = 0; i < chunk.Length; i++) chunk[i].WriteBigEndian(input.AsSpan(i * Word));
            var result = client.Run(BoardOpcode.PoseidonBatch, (uint)n, (uint)arity, input, n * Word, ct);
            for (int i = 0; i < n; i++)
            {
                try
                {
                    outputs[done + i] = Fr.ReadBigEndian(result.AsSpan(i * Word, Word));
                }
                catch (ArgumentOutOfRangeException ex)
                {
                    throw new InvalidDataException($"{Device}: hash {done + i} is not a field element: {Convert.ToHexString(result, i * Word, Word)}", ex);
                }
            }
        }
    }

    public G2Jacobian MsmG2(ReadOnlySpan<G2Affine> points, ReadOnlySpan<Fr> scalars, CancellationToken ct = default) => throw Unsupported(AccelOp.MsmG2);

    public void Ntt(Span<Fr> values, NttOptions options, CancellationToken ct = default) => throw Unsupported(AccelOp.Ntt);

    public void MerkleLayer(ReadOnlySpan<Fr> children, Span<Fr> parents, CancellationToken ct = default) => throw Unsupported(AccelOp.MerkleLayer);

    public void KeccakBatch(ReadOnlySpan<byte> data, ReadOnlySpan<int> offsets, Span<byte> digests, CancellationToken ct = default) => throw Unsupported(AccelOp.KeccakBatch);

    private void Require(AccelOp op)
    {
        if (!Capabilities.Supports(op)) throw Unsupported(op);
    }

    private NotSupportedException Unsupported(AccelOp op) =>
        new($"{op} is not implemented by {Device}; the dispatcher runs it on the CPU");

    public void Dispose() => client.Dispose();
}
