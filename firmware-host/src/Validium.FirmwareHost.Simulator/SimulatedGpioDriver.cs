using System.Device.Gpio;

namespace Validium.FirmwareHost.Simulator;

/// <summary>
/// GPIO wired to the simulated board: outputs RESET_N and PROG_B drive it, inputs READY, ERROR, INIT_B and DONE
/// read its lines. Pins that are not wired read low and accept writes, like unconnected header pins.
/// </summary>
public sealed class SimulatedGpioDriver(SimulatedBoard board, SpiBoardPins? boardPins = null, ConfigPins? configPins = null) : GpioDriver
{
    private readonly SpiBoardPins pins = boardPins ?? new SpiBoardPins();
    private readonly ConfigPins config = configPins ?? new ConfigPins();
    private readonly Dictionary<int, PinMode> modes = [];
    private readonly Dictionary<int, PinValue> outputs = [];

    protected override int PinCount => 64;

    protected override void OpenPin(int pinNumber)
    {
        if (pinNumber < 0 || pinNumber >= PinCount) throw new ArgumentOutOfRangeException(nameof(pinNumber), $"pin {pinNumber} is not on this controller (0..{PinCount - 1})");
        modes[pinNumber] = PinMode.Input;
    }

    protected override void ClosePin(int pinNumber) => modes.Remove(pinNumber);

    protected override void SetPinMode(int pinNumber, PinMode mode) => modes[pinNumber] = mode;

    protected override PinMode GetPinMode(int pinNumber) => modes.GetValueOrDefault(pinNumber, PinMode.Input);

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => mode is PinMode.Input or PinMode.Output;

    protected override PinValue Read(int pinNumber)
    {
        if (pinNumber == pins.Ready) return board.ReadyLine;
        if (pinNumber == pins.Error) return board.ErrorLine;
        if (pinNumber == config.InitB) return board.InitBLine;
        if (pinNumber == config.Done) return board.DoneLine;
        return outputs.GetValueOrDefault(pinNumber, PinValue.Low);
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        bool wasHigh = outputs.GetValueOrDefault(pinNumber, PinValue.High) == PinValue.High;
        outputs[pinNumber] = value;
        if (pinNumber == pins.ResetN && wasHigh && value == PinValue.Low) board.Reset();
        if (pinNumber == config.ProgB) board.DriveProgB(value == PinValue.High);
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        PinValue start = Read(pinNumber);
        while (!cancellationToken.IsCancellationRequested)
        {
            PinValue now = Read(pinNumber);
            if (now != start)
            {
                var edge = now == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
                if ((eventTypes & edge) != 0) return new WaitForEventResult { EventTypes = edge, TimedOut = false };
                start = now;
            }
            Thread.Sleep(1);
        }
        return new WaitForEventResult { EventTypes = PinEventTypes.None, TimedOut = true };
    }

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException("the simulated board's lines are polled; register no edge callbacks");

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException("the simulated board's lines are polled; register no edge callbacks");
}
