namespace AsyncFunctions.Inputs;

/// <summary>The types an input may declare.</summary>
public enum InputType
{
    Any,
    Text,
    Int,
    Decimal,
    Bool,
    Timestamp,
    Object,
    Array,
}
