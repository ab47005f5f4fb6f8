using System.Buffers.Binary;
using Validium.Crypto;

namespace Validium.Exchange;

/// <summary>
/// The canonical binary form of a <see cref="Command"/>, as the sequencer journals it (layout in ORDERS.md,
/// "Command encoding"): a version byte, the kind byte, then the kind's fields at fixed widths, little-endian, with
/// field elements big-endian. Canonical: each command has exactly one encoding and each accepted encoding decodes to
/// exactly one command, so re-encoding a decoded payload gives the same bytes. Decoding checks the version, the
/// exact length for the kind, enum and flag values and field elements, and says what is wrong; it never throws on
/// bad bytes through <see cref="TryDecode"/>.
/// </summary>
public static class CommandCodec
{
    public const byte Version = 1;

    // Amends once carried only the client id, price and quantity; such a payload is named rather than called a bad length.
    private const int LegacyAmendLength = 46;

    /// <summary>The longest encoding (a whole oracle round with every underlying and every instrument).</summary>
    public const int MaxLength = 2 + 8 + 1 + Limits.MaxUnderlyings * IndexBytes + 2 + Limits.MaxInstruments * OptionBytes;

    private const int KeyBytes = 32;
    private const int IndexBytes = 4 + 8;
    private const int OptionBytes = 4 + 8 * 3;

    /// <summary>Bytes the command's encoding takes; throws <see cref="ArgumentException"/> when it cannot be encoded.</summary>
    public static int Length(in Command c) => 2 + 8 + c.Kind switch
    {
        CommandKind.Place or CommandKind.Amend => 4 + 8 + 4 + 4 + 8 * 4,
        CommandKind.Cancel => 4 + 8 + 8,
        CommandKind.CancelAll => 4 + 8 + 4,
        CommandKind.Deposit => 4 + 8 + 1 + (c.Payload is null ? 0 : 2 * KeyBytes),
        CommandKind.Withdraw => 4 + 8,
        CommandKind.OracleIndex => 4 + 8,
        CommandKind.OracleOption => 4 + 8 * 3,
        CommandKind.Funding => 4,
        CommandKind.OracleRound when c.Payload is RoundMarks { Indices: not null, Options: not null } r =>
            1 + r.Indices.Length * IndexBytes + 2 + r.Options.Length * OptionBytes,
        CommandKind.OracleRound => throw new ArgumentException("a round's payload must be its index and option marks", nameof(c)),
        CommandKind.ListInstrument => 1 + 4 + 8 * 8 + 4 * 8,
        _ => throw new ArgumentException($"command kind {(byte)c.Kind} has no encoding", nameof(c)),
    };

    public static byte[] Encode(in Command c)
    {
        var buffer = new byte[Length(c)];
        Encode(c, buffer);
        return buffer;
    }

    /// <summary>
    /// Writes the encoding into <paramref name="destination"/> and returns its length. Fields a kind does not use are
    /// not written (they decode as zero); a command whose enum fields or payload could never decode is refused.
    /// </summary>
    public static int Encode(in Command c, Span<byte> destination)
    {
        int length = Length(c);
        if (destination.Length < length) throw new ArgumentException($"need {length} bytes, have {destination.Length}", nameof(destination));
        if (Check(c) is { } problem) throw new ArgumentException(problem, nameof(c));
        var w = new Writer(destination);
        w.U8(Version);
        w.U8((byte)c.Kind);
        w.I64(c.Time);
        switch (c.Kind)
        {
            case CommandKind.Place or CommandKind.Amend:
                w.I32(c.Account); w.I64(c.Nonce); w.I32(c.Instrument);
                w.U8((byte)c.Side); w.U8((byte)c.Type); w.U8((byte)c.Stp); w.U8(c.ReduceOnly ? (byte)1 : (byte)0);
                w.I64(c.Price); w.I64(c.Quantity); w.I64(c.ClientId); w.I64(c.ExpiresAt);
                break;
            case CommandKind.Cancel:
                w.I32(c.Account); w.I64(c.Nonce); w.I64(c.ClientId);
                break;
            case CommandKind.CancelAll:
                w.I32(c.Account); w.I64(c.Nonce); w.I32(c.Instrument);
                break;
            case CommandKind.Deposit:
                w.I32(c.Account); w.I64(c.Amount);
                if (c.Payload is BabyJubjubPoint key)
                {
                    w.U8(1);
                    key.X.WriteBigEndian(w.Take(KeyBytes));
                    key.Y.WriteBigEndian(w.Take(KeyBytes));
                }
                else w.U8(0);
                break;
            case CommandKind.Withdraw:
                w.I32(c.Account); w.I64(c.Amount);
                break;
            case CommandKind.OracleIndex:
                w.I32(c.Instrument); w.I64(c.Amount);
                break;
            case CommandKind.OracleOption:
                w.I32(c.Instrument); w.I64(c.Amount); w.I64(c.DeltaPpm); w.I64(c.GammaPpm);
                break;
            case CommandKind.Funding:
                w.I32(c.Instrument);
                break;
            case CommandKind.OracleRound:
                var r = (RoundMarks)c.Payload!;
                w.U8((byte)r.Indices.Length);
                foreach (var x in r.Indices) { w.I32(x.Underlying); w.I64(x.Price); }
                w.U16((ushort)r.Options.Length);
                foreach (var o in r.Options) { w.I32(o.Instrument); w.I64(o.Mark); w.I64(o.DeltaPpm); w.I64(o.GammaPpm); }
                break;
            case CommandKind.ListInstrument:
                var s = (InstrumentSpec)c.Payload!;
                w.U8((byte)s.Kind); w.I32(s.Underlying);
                foreach (long v in (ReadOnlySpan<long>)[s.Strike, s.Expiry, s.TickSize, s.LotSize, s.MinQuantity, s.MaxQuantity, s.MaxPrice, s.MaxPosition]) w.I64(v);
                foreach (int v in (ReadOnlySpan<int>)[s.QuantityDecimals, s.MakerFeePpm, s.TakerFeePpm, s.InitialMarginPpm, s.MaintenanceMarginPpm, s.BandPpm, s.PremiumCapPpm, s.FundingCapPpm]) w.I32(v);
                break;
        }
        return w.Position;
    }

    private static string? Check(in Command c) => c.Kind switch
    {
        CommandKind.Place or CommandKind.Amend when !Enum.IsDefined(c.Side) => $"side {(byte)c.Side} is not defined",
        CommandKind.Place or CommandKind.Amend when !Enum.IsDefined(c.Type) => $"order type {(byte)c.Type} is not defined",
        CommandKind.Place or CommandKind.Amend when !Enum.IsDefined(c.Stp) => $"self-trade prevention {(byte)c.Stp} is not defined",
        CommandKind.Deposit when c.Payload is not (null or BabyJubjubPoint) => "a deposit's payload must be a BabyJubjub key or nothing",
        CommandKind.ListInstrument when c.Payload is not InstrumentSpec => "a listing's payload must be an instrument spec",
        CommandKind.OracleRound when ((RoundMarks)c.Payload!).Indices.Length > Limits.MaxUnderlyings =>
            $"a round carries at most {Limits.MaxUnderlyings} indices, not {((RoundMarks)c.Payload!).Indices.Length}",
        CommandKind.OracleRound when ((RoundMarks)c.Payload!).Options.Length > Limits.MaxInstruments =>
            $"a round carries at most {Limits.MaxInstruments} option marks, not {((RoundMarks)c.Payload!).Options.Length}",
        CommandKind.ListInstrument when !Enum.IsDefined(((InstrumentSpec)c.Payload!).Kind) => "instrument kind is not defined",
        _ => null,
    };

    /// <summary>Decodes a whole payload; false with the reason when the bytes are not a canonical command encoding.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out Command command, out string error)
    {
        command = default;
        if (bytes.Length < 10)
        {
            error = $"{bytes.Length} bytes: shorter than any command (10-byte header)";
            return false;
        }
        if (bytes[0] != Version)
        {
            error = $"unsupported command encoding version {bytes[0]} (this build reads version {Version})";
            return false;
        }
        var kind = (CommandKind)bytes[1];
        if (!Enum.IsDefined(kind))
        {
            error = $"unknown command kind {bytes[1]}";
            return false;
        }
        // A deposit's length depends on its key flag (byte 22), a round's on its counts; every other kind has one length.
        bool withKey = kind == CommandKind.Deposit && bytes.Length > 22 && bytes[22] == 1;
        int expected = kind == CommandKind.OracleRound
            ? RoundLength(bytes)
            : Length(new Command { Kind = kind, Payload = withKey ? BabyJubjubPoint.Identity : null });
        if (kind == CommandKind.Amend && bytes.Length == LegacyAmendLength)
        {
            error = "an amend in the layout from before amends carried the whole order (46 bytes); this build reads only the 62-byte layout (ORDERS.md, \"Command encoding\")";
            return false;
        }
        if (expected < 0)
        {
            error = $"{kind}: {bytes.Length} bytes end before its index or option count";
            return false;
        }
        if (bytes.Length != expected)
        {
            error = $"{kind} takes {expected} bytes, got {bytes.Length}";
            return false;
        }
        var r = new Reader(bytes[2..]);
        var c = new Command { Kind = kind, Time = r.I64() };
        error = "";
        switch (kind)
        {
            case CommandKind.Place or CommandKind.Amend:
                c.Account = r.I32(); c.Nonce = r.I64(); c.Instrument = r.I32();
                c.Side = (Side)r.U8(); c.Type = (OrderType)r.U8(); c.Stp = (SelfTradePrevention)r.U8();
                byte reduceOnly = r.U8();
                c.Price = r.I64(); c.Quantity = r.I64(); c.ClientId = r.I64(); c.ExpiresAt = r.I64();
                if (reduceOnly > 1) error = $"reduce-only flag must be 0 or 1, got {reduceOnly}";
                c.ReduceOnly = reduceOnly == 1;
                break;
            case CommandKind.Cancel:
                c.Account = r.I32(); c.Nonce = r.I64(); c.ClientId = r.I64();
                break;
            case CommandKind.CancelAll:
                c.Account = r.I32(); c.Nonce = r.I64(); c.Instrument = r.I32();
                break;
            case CommandKind.Deposit:
                c.Account = r.I32(); c.Amount = r.I64();
                byte hasKey = r.U8();
                if (hasKey > 1) error = $"key flag must be 0 or 1, got {hasKey}";
                else if (hasKey == 1)
                {
                    if (!TryField(r.Take(KeyBytes), out var x) || !TryField(r.Take(KeyBytes), out var y)) error = "key coordinate is not below the field modulus";
                    else c.Payload = new BabyJubjubPoint(x, y);
                }
                break;
            case CommandKind.Withdraw:
                c.Account = r.I32(); c.Amount = r.I64();
                break;
            case CommandKind.OracleIndex:
                c.Instrument = r.I32(); c.Amount = r.I64();
                break;
            case CommandKind.OracleOption:
                c.Instrument = r.I32(); c.Amount = r.I64(); c.DeltaPpm = r.I64(); c.GammaPpm = r.I64();
                break;
            case CommandKind.Funding:
                c.Instrument = r.I32();
                break;
            case CommandKind.OracleRound:
                var indices = new IndexMark[r.U8()];
                for (int i = 0; i < indices.Length; i++) indices[i] = new IndexMark(r.I32(), r.I64());
                var options = new OptionMark[r.U16()];
                for (int i = 0; i < options.Length; i++) options[i] = new OptionMark(r.I32(), r.I64(), r.I64(), r.I64());
                c.Payload = new RoundMarks(indices, options);
                break;
            case CommandKind.ListInstrument:
                var ik = (InstrumentKind)r.U8();
                int underlying = r.I32();
                Span<long> l = stackalloc long[8];
                for (int i = 0; i < l.Length; i++) l[i] = r.I64();
                Span<int> n = stackalloc int[8];
                for (int i = 0; i < n.Length; i++) n[i] = r.I32();
                c.Payload = new InstrumentSpec
                {
                    Kind = ik, Underlying = underlying, Strike = l[0], Expiry = l[1], TickSize = l[2], LotSize = l[3], MinQuantity = l[4],
                    MaxQuantity = l[5], MaxPrice = l[6], MaxPosition = l[7], QuantityDecimals = n[0], MakerFeePpm = n[1], TakerFeePpm = n[2],
                    InitialMarginPpm = n[3], MaintenanceMarginPpm = n[4], BandPpm = n[5], PremiumCapPpm = n[6], FundingCapPpm = n[7],
                };
                break;
        }
        if (error.Length == 0 && Check(c) is { } problem) error = problem;
        if (error.Length > 0)
        {
            error = $"{kind}: {error}";
            return false;
        }
        command = c;
        return true;
    }

    /// <summary>Decodes a whole payload; <see cref="FormatException"/> with the reason when it is not a canonical command encoding.</summary>
    public static Command Decode(ReadOnlySpan<byte> bytes) =>
        TryDecode(bytes, out var c, out var error) ? c : throw new FormatException($"not an exchange command: {error}");

    /// <summary>
    /// The length a round's counts give (index count at byte 10, option count after the indices); -1 when the bytes
    /// end before a count, so the length check names the shortfall. Counts past the limits are refused after decoding.
    /// </summary>
    private static int RoundLength(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 11) return -1;
        int at = 11 + bytes[10] * IndexBytes;
        if (bytes.Length < at + 2) return -1;
        return at + 2 + BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]) * OptionBytes;
    }

    private static bool TryField(ReadOnlySpan<byte> bigEndian, out Fr value)
    {
        try
        {
            value = Fr.ReadBigEndian(bigEndian);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            value = default;
            return false;
        }
    }

    private ref struct Writer(Span<byte> buffer)
    {
        private readonly Span<byte> buffer = buffer;
        public int Position;

        public Span<byte> Take(int n)
        {
            var s = buffer.Slice(Position, n);
            Position += n;
            return s;
        }

        public void U8(byte v) => buffer[Position++] = v;
        public void U16(ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2), v);
        public void I32(int v) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), v);
        public void I64(long v) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), v);
    }

    private ref struct Reader(ReadOnlySpan<byte> buffer)
    {
        private readonly ReadOnlySpan<byte> buffer = buffer;
        private int position;

        public ReadOnlySpan<byte> Take(int n)
        {
            var s = buffer.Slice(position, n);
            position += n;
            return s;
        }

        public byte U8() => buffer[position++];
        public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
        public int I32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
        public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));
    }
}
