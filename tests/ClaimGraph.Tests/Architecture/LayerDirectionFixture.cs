// Two "layers" for LayerDirectionTests to prove that its scan finds an upward reference wherever it sits. Nothing
// else uses these types.
#pragma warning disable CA1812, CA1822, CA1823, CS0169, CS0649, IDE0051, IDE0052 // fixture members exist only to be referenced

namespace ClaimGraph.Tests.Architecture.LayerFixture.High
{
    public class BaseClass;

    public interface IInterface;

    public class FieldType;

    public class ParameterType;

    public class CreatedType;

    public class LocalType
    {
        public int Value { get; set; }
    }

    public class GenericArgument;

    public static class CalledType
    {
        public static int Call() => 1;
    }

    /// <summary>A downward reference, which is allowed.</summary>
    public class UsesLow
    {
        public Low.Clean Low { get; } = new();
    }
}

namespace ClaimGraph.Tests.Architecture.LayerFixture.Low
{
    public class Clean;

    public class Dirty : High.BaseClass, High.IInterface
    {
        private High.FieldType? _field;

        public void Take(High.ParameterType parameter)
        {
        }

        public object Make() => new High.CreatedType();

        public int Call() => High.CalledType.Call();

        public int Local(object o)
        {
            var local = o as High.LocalType;
            return local?.Value ?? 0;
        }

        public int Count(List<High.GenericArgument> items) => items.Count;
    }
}
