using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Validium.Crypto;
using Validium.DaCommittee;
using Validium.L1.Anvil;
using Validium.L1.Rpc;

namespace Validium.DevNet;

/// <summary>
/// The one-machine network around a node: anvil with its chain in a state file, the contracts, the committee
/// members on loopback (in this process, each stoppable and restartable by index with its RocksDB data kept), and
/// the oracle feeder. <see cref="UpAsync"/> on an empty directory creates everything and writes devnet.json; on a
/// directory it created before it brings the same network back (same keys, chain restored, members' data kept).
/// </summary>
public sealed class DevNetwork : IAsyncDisposable
{
    private const string LockFile = "devnet.lock";

    private readonly FileStream lockHandle;
    private readonly DevNetOptions options;
    private readonly ILogger log;
    private readonly MemberNode?[] members;
    private readonly MemberProcess?[] memberProcesses;
    private readonly SemaphoreSlim gate = new(1, 1);
    private AnvilNode? anvil;
    private int disposed;

    private DevNetwork(FileStream lockHandle, DevNetOptions options, ILogger log, DevNetManifest manifest, AnvilNode anvil, OracleFeeder feeder)
    {
        this.lockHandle = lockHandle;
        this.options = options;
        this.log = log;
        this.anvil = anvil;
        Manifest = manifest;
        Feeder = feeder;
        members = new MemberNode?[manifest.Committee.Members.Length];
        memberProcesses = new MemberProcess?[members.Length];
    }

    public DevNetManifest Manifest { get; }
    public string Directory => Manifest.Directory;
    public string ManifestPath => Path.Combine(Directory, DevNetManifest.FileName);
    public Uri Rpc => Manifest.RpcUrl;
    public EthereumAddress Validium => EthereumAddress.Parse(Manifest.Contracts.Validium);

    /// <summary>The running anvil; null while stopped.</summary>
    public AnvilNode? Anvil => anvil;

    public OracleFeeder Feeder { get; }

    public IReadOnlyList<Uri> MemberUrls => [.. Manifest.Committee.Members.Select(m => new Uri(m.Url))];

    public bool IsMemberRunning(int index) => members[CheckIndex(index)] is not null || memberProcesses[index] is not null;

    /// <summary>The member's process id when members run as processes (<see cref="DevNetOptions.MemberCommand"/>), else null.</summary>
    public int? MemberProcessId(int index) => memberProcesses[CheckIndex(index)]?.ProcessId;

    /// <summary>Brings the devnet in <see cref="DevNetOptions.Directory"/> up: created on the first run, restored on later ones.</summary>
    public static async Task<DevNetwork> UpAsync(DevNetOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var root = Path.GetFullPath(options.Directory);
        System.IO.Directory.CreateDirectory(root);
        var log = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Validium.DevNet");
        var lockHandle = TakeLock(root);
        AnvilNode? anvil = null;
        DevNetwork? net = null;
        try
        {
            var existing = DevNetManifest.TryRead(root);
            if (existing is not null) CheckSameNetwork(existing, options);
            var keys = DevNetKeys.LoadOrCreate(root, options.Members, DevNetOptions.Reporters);
            anvil = StartAnvil(root, options.AnvilPort ?? existing?.AnvilPort ?? 0, options.BlockTimeSeconds);
            log.LogInformation("anvil listening on {Url} (chain in {State})", anvil.Url, DevNetSetup.AnvilState);

            DevNetManifest manifest;
            if (existing is null)
            {
                manifest = await DevNetSetup.RunAsync(root, options, keys, anvil, log, ct);
            }
            else
            {
                await CheckChainAsync(existing, anvil, ct);
                manifest = existing with { Rpc = anvil.Url.ToString(), AnvilPort = anvil.Port, Oracle = existing.Oracle with { IntervalSeconds = options.OracleIntervalSeconds ?? 0 } };
            }
            manifest.Write(root);
            manifest = DevNetManifest.Read(Path.Combine(root, DevNetManifest.FileName));

            var specs = manifest.Instruments.Select(i => i.Spec).ToArray();
            var path = new PricePath(manifest.Oracle.PriceSeed, specs, [.. manifest.Instruments.Select(i => i.InitialPrice)]);
            var feeder = new OracleFeeder(anvil.Url, EthereumAddress.Parse(manifest.Contracts.Oracle), keys.Reporters, manifest.Oracle.Threshold, keys.Reporters[0],
                Path.Combine(root, DevNetSetup.FeederNonces), path, (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<OracleFeeder>());
            net = new DevNetwork(lockHandle, options, log, manifest, anvil, feeder);
            for (int i = 0; i < net.members.Length; i++) await net.StartMemberAsync(i, ct);
            if (options.OracleIntervalSeconds is > 0 and var seconds) feeder.Start(TimeSpan.FromSeconds(seconds));
            return net;
        }
        catch
        {
            if (net is not null) await net.DisposeAsync();
            else
            {
                anvil?.Dispose();
                lockHandle.Dispose();
            }
            throw;
        }
    }

    /// <summary>Starts member <paramref name="index"/> from its config, on its own port and data directory.</summary>
    public async Task StartMemberAsync(int index, CancellationToken ct = default)
    {
        CheckIndex(index);
        await gate.WaitAsync(ct);
        try
        {
            if (members[index] is not null || memberProcesses[index] is not null) throw new InvalidOperationException($"member {index} is running");
            var member = Manifest.Committee.Members[index];
            var config = Manifest.Resolve(member.Config);
            if (options.MemberCommand is { } command)
            {
                memberProcesses[index] = await MemberProcess.StartAsync(command, config, new Uri(member.Url), TimeSpan.FromSeconds(60), ct);
                log.LogInformation("member {Index} ({Address}) listening on {Url} as process {Pid}", index, member.Address, member.Url, memberProcesses[index]!.ProcessId);
                return;
            }
            try
            {
                members[index] = await MemberNode.StartFromConfigAsync(config, options.MemberLogging ?? (_ => { }), ct);
            }
            catch (IOException e)
            {
                throw new IOException($"member {index} could not start on {member.Url} (port in use?): {e.Message}", e);
            }
            log.LogInformation("member {Index} ({Address}) listening on {Url}", index, members[index]!.Address, members[index]!.Url);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Stops member <paramref name="index"/>; its stored batches stay in its data directory for the next start.
    /// <paramref name="kill"/>: SIGKILL, as a crash would (members run as processes only; an in-process member always stops cleanly).
    /// </summary>
    public async Task StopMemberAsync(int index, bool kill = false)
    {
        CheckIndex(index);
        if (kill && options.MemberCommand is null) throw new InvalidOperationException("only a member run as a process can be killed (DevNetOptions.MemberCommand)");
        await gate.WaitAsync();
        try
        {
            if (members[index] is { } m)
            {
                members[index] = null;
                await m.DisposeAsync();
                log.LogInformation("member {Index} stopped", index);
            }
            if (memberProcesses[index] is { } p)
            {
                memberProcesses[index] = null;
                if (kill) p.Kill();
                else await p.StopAsync(TimeSpan.FromSeconds(20));
                p.Dispose();
                log.LogInformation("member {Index} {How}", index, kill ? "killed" : "stopped");
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task RestartMemberAsync(int index, CancellationToken ct = default)
    {
        await StopMemberAsync(index);
        await StartMemberAsync(index, ct);
    }

    /// <summary>Stops anvil gracefully (its state file written); <paramref name="kill"/>: SIGKILL, keeping only the last periodic state write.</summary>
    public void StopAnvil(bool kill = false)
    {
        var a = Interlocked.Exchange(ref anvil, null);
        if (a is null) return;
        if (kill) a.Kill();
        else a.Stop();
        a.Dispose();
        log.LogInformation("anvil {How}", kill ? "killed" : "stopped");
    }

    /// <summary>Starts anvil again on the manifest's port from the state file.</summary>
    public void StartAnvil()
    {
        if (anvil is not null) throw new InvalidOperationException("anvil is running");
        anvil = StartAnvil(Directory, Manifest.AnvilPort, options.BlockTimeSeconds);
        log.LogInformation("anvil listening on {Url} again", anvil.Url);
    }

    private static AnvilNode StartAnvil(string root, int port, double? blockTime)
    {
        try
        {
            return AnvilNode.Start(new AnvilOptions { Port = port, StateFile = Path.Combine(root, DevNetSetup.AnvilState), BlockTimeSeconds = blockTime });
        }
        catch (InvalidOperationException e) when (port != 0)
        {
            throw new IOException($"anvil could not start on port {port} (in use? pass another port): {e.Message}", e);
        }
    }

    private static async Task CheckChainAsync(DevNetManifest m, AnvilNode anvil, CancellationToken ct)
    {
        using var rpc = new JsonRpcClient(anvil.Url, new JsonRpcClientOptions { MaxAttempts = 3, AttemptTimeout = TimeSpan.FromSeconds(10) });
        var eth = new EthClient(rpc);
        var chainId = (long)await eth.ChainIdAsync(ct);
        if (chainId != m.ChainId) throw new InvalidDataException($"anvil is chain {chainId}, {DevNetManifest.FileName} says {m.ChainId}");
        if ((await eth.GetCodeAsync(EthereumAddress.Parse(m.Contracts.Validium), ct: ct)).Length == 0)
            throw new InvalidDataException(
                $"the chain restored from {m.AnvilState} has no contract at {m.Contracts.Validium} (the state file was lost or belongs to another devnet): remove {m.Directory} to start over");
    }

    private static void CheckSameNetwork(DevNetManifest m, DevNetOptions o)
    {
        var problems = new List<string>();
        if (m.Committee.Members.Length != o.Members || m.Committee.Threshold != o.Threshold)
            problems.Add($"its committee is {m.Committee.Threshold} of {m.Committee.Members.Length}, not {o.Threshold} of {o.Members}");
        if (!m.Instruments.Select(i => i.Symbol).SequenceEqual(o.Instruments.Select(i => i.Symbol)))
            problems.Add($"it lists {string.Join(", ", m.Instruments.Select(i => i.Symbol))}, not {string.Join(", ", o.Instruments.Select(i => i.Symbol))}");
        if (m.Oracle.PriceSeed != o.PriceSeed) problems.Add($"its price seed is {m.Oracle.PriceSeed}, not {o.PriceSeed}");
        if (problems.Count > 0)
            throw new ArgumentException($"{m.Directory} is an existing devnet and {string.Join("; ", problems)}: run up with its settings or use another directory");
    }

    private static FileStream TakeLock(string root)
    {
        try
        {
            return new FileStream(Path.Combine(root, LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"{root} is in use by another devnet process ({LockFile} is locked): {e.Message}", e);
        }
    }

    private int CheckIndex(int index) =>
        index >= 0 && index < members.Length ? index : throw new ArgumentOutOfRangeException(nameof(index), $"member index must be 0..{members.Length - 1}, got {index}");

    /// <summary>Stops the feeder, the members, then anvil (gracefully, so the state file holds the whole chain).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        try
        {
            await Feeder.DisposeAsync();
            for (int i = 0; i < members.Length; i++) await StopMemberAsync(i);
            StopAnvil();
        }
        finally
        {
            gate.Dispose();
            lockHandle.Dispose();
        }
    }
}
