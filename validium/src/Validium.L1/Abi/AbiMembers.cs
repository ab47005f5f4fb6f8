using Validium.Crypto;

namespace Validium.L1.Abi;

/// <summary>What functions, events and errors share: a name, typed inputs, a canonical signature.</summary>
public abstract class AbiMember
{
    protected AbiMember(string name, IReadOnlyList<AbiParameter> inputs)
    {
        Name = name;
        Inputs = inputs.ToArray();
        InputTypes = Inputs.Select(p => p.Type).ToArray();
        Signature = $"{name}({string.Join(",", InputTypes.Select(t => t.CanonicalName))})";
    }

    public string Name { get; }
    public IReadOnlyList<AbiParameter> Inputs { get; }
    public IReadOnlyList<AbiType> InputTypes { get; }

    /// <summary>name(type1,type2): what the selector and topic hash.</summary>
    public string Signature { get; }

    public override string ToString() => Signature;

    protected static byte[] Selector4(string signature) => Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(signature))[..4];
}

public sealed class AbiFunction : AbiMember
{
    public AbiFunction(string name, IReadOnlyList<AbiParameter> inputs, IReadOnlyList<AbiParameter> outputs, string stateMutability = "nonpayable")
        : base(name, inputs)
    {
        Outputs = outputs.ToArray();
        OutputTypes = Outputs.Select(p => p.Type).ToArray();
        StateMutability = stateMutability;
        Selector = Selector4(Signature);
    }

    public IReadOnlyList<AbiParameter> Outputs { get; }
    public IReadOnlyList<AbiType> OutputTypes { get; }
    public string StateMutability { get; }
    public byte[] Selector { get; }

    /// <summary>selector || abi.encode(args): the calldata of a call.</summary>
    public byte[] EncodeCall(params object?[] args)
    {
        if (args.Length != Inputs.Count) throw new ArgumentException($"{Signature} takes {Inputs.Count} arguments, got {args.Length}");
        return [.. Selector, .. AbiCodec.Encode(InputTypes, args)];
    }

    public object?[] DecodeCall(ReadOnlySpan<byte> calldata)
    {
        if (calldata.Length < 4 || !calldata[..4].SequenceEqual(Selector)) throw new FormatException($"calldata does not start with the selector of {Signature}");
        return AbiCodec.Decode(InputTypes, calldata[4..]);
    }

    public object?[] DecodeOutput(ReadOnlySpan<byte> returnData) => AbiCodec.Decode(OutputTypes, returnData);
}

public sealed class AbiError : AbiMember
{
    public AbiError(string name, IReadOnlyList<AbiParameter> inputs) : base(name, inputs) => Selector = Selector4(Signature);

    public byte[] Selector { get; }

    public byte[] Encode(params object?[] args)
    {
        if (args.Length != Inputs.Count) throw new ArgumentException($"{Signature} takes {Inputs.Count} arguments, got {args.Length}");
        return [.. Selector, .. AbiCodec.Encode(InputTypes, args)];
    }

    /// <summary>The built-in Error(string) that require(cond, "msg") and revert("msg") produce.</summary>
    public static readonly AbiError ErrorString = new("Error", [new AbiParameter("message", AbiString.Instance)]);

    /// <summary>The built-in Panic(uint256) that failed asserts, overflow, division by zero, bad array indices produce.</summary>
    public static readonly AbiError Panic = new("Panic", [new AbiParameter("code", new AbiUInt(256))]);
}

/// <summary>The value of an indexed event parameter of a dynamic type: the topic holds only keccak256 of its encoding.</summary>
public sealed record IndexedHash(byte[] Hash)
{
    public override string ToString() => $"indexed hash {Hex.Encode(Hash)}";
}

public sealed class AbiEvent : AbiMember
{
    public AbiEvent(string name, IReadOnlyList<AbiParameter> inputs, bool anonymous = false) : base(name, inputs)
    {
        Anonymous = anonymous;
        Topic0 = Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(Signature));
        int indexed = Inputs.Count(p => p.Indexed);
        if (indexed > (anonymous ? 4 : 3)) throw new FormatException($"event {Signature} has {indexed} indexed parameters, at most {(anonymous ? 4 : 3)} allowed");
    }

    public bool Anonymous { get; }

    /// <summary>keccak256 of the signature: topics[0] of every log of a non-anonymous event.</summary>
    public byte[] Topic0 { get; }

    /// <summary>Decodes a log's topics and data into the event's arguments, in declaration order.</summary>
    public DecodedEvent Decode(IReadOnlyList<byte[]> topics, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(topics);
        int t = 0;
        if (!Anonymous)
        {
            if (topics.Count == 0 || !topics[0].AsSpan().SequenceEqual(Topic0)) throw new FormatException($"log topic 0 is not the hash of {Signature}");
            t = 1;
        }
        var indexed = Inputs.Where(p => p.Indexed).ToArray();
        if (topics.Count != t + indexed.Length) throw new FormatException($"{Signature} has {indexed.Length} indexed parameters but the log has {topics.Count - t} topics after the event's");
        var plain = AbiCodec.Decode(Inputs.Where(p => !p.Indexed).Select(p => p.Type).ToArray(), data);
        var values = new object?[Inputs.Count];
        int plainAt = 0;
        for (int i = 0; i < Inputs.Count; i++)
        {
            if (!Inputs[i].Indexed)
            {
                values[i] = plain[plainAt++];
                continue;
            }
            var topic = topics[t++];
            if (topic.Length != 32) throw new FormatException($"a log topic is 32 bytes, got {topic.Length}");
            var type = Inputs[i].Type;
            values[i] = type.IsDynamic || type is AbiTuple or AbiArray ? new IndexedHash(topic) : AbiCodec.Decode(type, topic);
        }
        return new DecodedEvent(this, values);
    }

    /// <summary>Topics for a log filter: topic0 then one per indexed parameter (null = any); dynamic values are hashed.</summary>
    public byte[]?[] FilterTopics(params object?[] indexedValues)
    {
        var indexed = Inputs.Where(p => p.Indexed).ToArray();
        if (indexedValues.Length > indexed.Length) throw new ArgumentException($"{Signature} has only {indexed.Length} indexed parameters");
        var topics = new List<byte[]?>();
        if (!Anonymous) topics.Add(Topic0);
        for (int i = 0; i < indexedValues.Length; i++)
        {
            var v = indexedValues[i];
            var type = indexed[i].Type;
            topics.Add(v is null ? null
                : type is AbiString && v is string s ? Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(s))
                : type is AbiBytes && v is byte[] b ? Keccak256.Hash(b)
                : type.IsDynamic || type is AbiTuple or AbiArray ? throw new NotSupportedException($"filtering on indexed {type} values is not supported: pass the topic hash to the filter directly")
                : AbiCodec.EncodeWord(type, v));
        }
        return [.. topics];
    }
}

/// <summary>An event's arguments, in declaration order, with names from the ABI.</summary>
public sealed record DecodedEvent(AbiEvent Event, IReadOnlyList<object?> Values)
{
    public object? this[string name]
    {
        get
        {
            for (int i = 0; i < Event.Inputs.Count; i++)
                if (Event.Inputs[i].Name == name) return Values[i];
            throw new KeyNotFoundException($"{Event.Signature} has no parameter '{name}'");
        }
    }

    public override string ToString() => AbiFormat.Call(Event.Name, Event.Inputs, Values);
}
