using Validium.Accel.Cpu;

namespace Validium.Accel;

/// <summary>
/// The explicit list of backends the host created at start-up. The CPU backend is always there;
/// others are added by whoever detected their device. Registering one device twice fails loudly.
/// </summary>
public sealed class BackendRegistry : IDisposable
{
    private readonly List<IAccelBackend> backends = [];

    public BackendRegistry(CpuBackend? cpu = null)
    {
        Cpu = cpu ?? new CpuBackend();
        backends.Add(Cpu);
    }

    public CpuBackend Cpu { get; }

    public IReadOnlyList<IAccelBackend> Backends => backends;

    public void Register(IAccelBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var clash = backends.FirstOrDefault(b => b.Device.Kind == backend.Device.Kind && b.Device.Index == backend.Device.Index);
        if (clash is not null)
            throw new InvalidOperationException($"device {backend.Device} is already registered (by {clash.GetType().Name}); refusing {backend.GetType().Name}");
        backends.Add(backend);
    }

    /// <summary>Backends of a kind that implement an op, in registration order.</summary>
    public IEnumerable<IAccelBackend> For(DeviceKind kind, AccelOp op) =>
        backends.Where(b => b.Device.Kind == kind && b.Capabilities.Supports(op));

    public void Dispose()
    {
        foreach (var b in backends) b.Dispose();
        backends.Clear();
    }
}
