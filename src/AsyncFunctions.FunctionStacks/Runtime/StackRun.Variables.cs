using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Model;

namespace AsyncFunctions.FunctionStacks.Runtime;

internal sealed partial class StackRun
{
    /// <summary>
    /// The set step: set, push, increment or remove at a path inside a variable. Every check
    /// happens before anything changes, so a failed update leaves the variable as it was; values
    /// change in place (a push does not copy the array).
    /// </summary>
    internal async Task Update(SetStep step)
    {
        var target = step.Target;
        var path = step.Path + ".set";
        if (!state.Variables.TryGetPropertyValue(target.Root, out var current))
        {
            throw new StackErrorException(StackErrorCodes.UnknownVariable, $"{path}: there is no variable '{target.Root}'", new JsonObject { ["path"] = path });
        }

        var value = step.Value is null ? null : (await EvaluateAsync(step.Value).ConfigureAwait(false));
        if (target.Segments.Count == 0 && step.Operation == SetOperation.Remove)
        {
            Forget(target.Root);
            return;
        }

        var updated = target.Segments.Count == 0
            ? Apply(step.Operation, current, value, path)
            : UpdateInside(current, target.Segments, 0, step.Operation, value, path);
        if (ReferenceEquals(updated, current))
        {
            Measure(target.Root, current);
        }
        else
        {
            SetVariable(target.Root, updated);
        }
    }

    /// <summary>Returns the container (changed in place), or a new one when it was missing.</summary>
    private static JsonNode UpdateInside(JsonNode? container, IReadOnlyList<object> segments, int at, SetOperation operation, JsonNode? value, string path)
    {
        var last = at == segments.Count - 1;
        if (segments[at] is string name)
        {
            var obj = container switch
            {
                JsonObject o => o,
                null => [],
                _ => throw new StackErrorException(StackErrorCodes.VariablePath, $"{path}: '{name}' is read from {JsonPaths.Describe(container)}, not an object"),
            };

            if (last && operation == SetOperation.Remove)
            {
                obj.Remove(name);
                return obj;
            }

            var child = obj[name];
            var updated = last ? Apply(operation, child, value, path) : UpdateInside(child, segments, at + 1, operation, value, path);
            if (!ReferenceEquals(updated, child))
            {
                obj[name] = updated;
            }

            return obj;
        }

        var index = (int)segments[at];
        if (container is not JsonArray array)
        {
            throw new StackErrorException(StackErrorCodes.VariablePath, $"{path}: [{index}] is read from {JsonPaths.Describe(container)}, not an array");
        }

        if (last && operation == SetOperation.Set && index == array.Count)
        {
            array.Add(Detach(value));
            return array;
        }

        if (index >= array.Count)
        {
            throw new StackErrorException(StackErrorCodes.VariablePath, $"{path}: index {index} is outside the array of {array.Count} items");
        }

        if (last && operation == SetOperation.Remove)
        {
            array.RemoveAt(index);
            return array;
        }

        var item = array[index];
        var replaced = last ? Apply(operation, item, value, path) : UpdateInside(item, segments, at + 1, operation, value, path);
        if (!ReferenceEquals(replaced, item))
        {
            array[index] = replaced;
        }

        return array;
    }

    /// <summary>Applies the operation to the current value; a push changes the array in place and returns it.</summary>
    private static JsonNode? Apply(SetOperation operation, JsonNode? current, JsonNode? value, string path)
    {
        switch (operation)
        {
            case SetOperation.Push:
                switch (current)
                {
                    case JsonArray list:
                        list.Add(Detach(value));
                        return list;
                    case null:
                        return new JsonArray(Detach(value));
                    default:
                        throw new StackErrorException(StackErrorCodes.VariablePath, $"{path}: push needs an array, not {JsonPaths.Describe(current)}");
                }

            case SetOperation.Increment:
                var sum = (current is null ? 0 : Number(current, path)) + Number(value, path + ".value");
                return sum == decimal.Truncate(sum) && sum >= long.MinValue && sum <= long.MaxValue ? JsonValue.Create((long)sum) : JsonValue.Create(sum);
            default:
                return Detach(value);
        }
    }

    private static JsonNode? Detach(JsonNode? node) => node?.Parent is null ? node : node.DeepClone();
}
