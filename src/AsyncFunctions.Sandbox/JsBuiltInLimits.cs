using Jint;
using Jint.Native;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace AsyncFunctions.Sandbox;

/// <summary>
/// Holds the limits inside the built-ins that allocate in one call, where Jint checks memory only
/// between statements: typed arrays, array buffers and the text builders repeat, padStart, padEnd,
/// concat, join and JSON.stringify are charged against <see cref="SandboxLimits.MemoryBytes"/> before they allocate,
/// and typed arrays (views included) are refused beyond <see cref="SandboxLimits.ArrayLength"/>
/// elements, so a single sort cannot run for minutes. ShadowRealm, which would hand out a second,
/// unguarded set of built-ins, and SharedArrayBuffer, whose Atomics.wait blocks past every limit,
/// are removed.
/// </summary>
internal sealed class JsBuiltInLimits
{
    // Arguments are converted once here and handed on as primitives, so a valueOf or a length
    // getter cannot answer small to the check and large to the allocation.
    private static readonly Prepared<Acornima.Ast.Script> Wrappers = Engine.PrepareScript(
        """
        (function (charge, refuse, maxLength, intrinsic, remaining) {
          'use strict';
          const { construct, apply, getPrototypeOf, setPrototypeOf, defineProperty, getOwnPropertyDescriptor } = Reflect;
          const ProxyOf = Proxy, ToNumber = Number, ObjectOf = Object, ArrayOf = Array, arrayFrom = Array.from, isArray = Array.isArray, floor = Math.floor;
          const maxBytes = maxLength * 8;
          const isObject = v => v !== null && (typeof v === 'object' || typeof v === 'function');
          const num = v => (typeof v === 'bigint' || typeof v === 'symbol') ? v : ToNumber(v);
          const finite = n => typeof n === 'number' && n >= 0 && n < Infinity;
          const read = (get, o) => { try { return apply(get, o, []); } catch { return undefined; } };
          const most = (n, limit, what, unit) => { if (typeof n === 'number' && n > limit) refuse(`${what} of ${n} ${unit}`, `${limit} ${unit}`); return n; };
          const global = value => ({ value, writable: true, enumerable: false, configurable: true });
          const replace = (holder, key, value) => {
            const d = getOwnPropertyDescriptor(holder, key);
            defineProperty(holder, key, { value, writable: d.writable, enumerable: d.enumerable, configurable: d.configurable });
          };
          // Built-in methods are writable, so an assignment keeps their attributes; a wrapper written
          // as a method (({ key() {} }).key) already has the built-in's name.
          const guardMethod = (holder, key, wrap) => {
            const original = holder[key];
            if (typeof original !== 'function') return;
            const wrapped = wrap(original);
            if (wrapped.name !== key) defineProperty(wrapped, 'name', { value: key, configurable: true });
            holder[key] = wrapped;
          };

          // Text builders: charged for the text they are about to make.
          const text = (self, original, args) => {
            if (self === null || self === undefined) apply(original, self, args);
            return `${self}`;
          };
          guardMethod(String.prototype, 'repeat', original => ({ repeat(count) {
            const s = text(this, original, [count]);
            const n = num(count);
            if (finite(n)) charge(s.length * n * 2);
            return apply(original, s, [n]);
          } }).repeat);
          const pad = (self, original, maxLength, fillString) => {
            const s = text(self, original, [maxLength, fillString]);
            const n = num(maxLength);
            if (finite(n) && n > s.length) charge(n * 2);
            return apply(original, s, [n, fillString]);
          };
          guardMethod(String.prototype, 'padStart', original => ({ padStart(maxLength, fillString) { return pad(this, original, maxLength, fillString); } }).padStart);
          guardMethod(String.prototype, 'padEnd', original => ({ padEnd(maxLength, fillString) { return pad(this, original, maxLength, fillString); } }).padEnd);
          guardMethod(String.prototype, 'concat', original => ({ concat(...texts) {
            const s = text(this, original, texts);
            const parts = [];
            let length = s.length;
            for (let i = 0; i < texts.length; i++) {
              parts[i] = `${texts[i]}`;
              length += parts[i].length;
            }
            charge(length * 2);
            return apply(original, s, parts);
          } }).concat);
          // join converts each element once, as the built-in would, and is charged for the text before it is built.
          guardMethod(ArrayOf.prototype, 'join', original => ({ join(separator) {
            if (this === null || this === undefined) return apply(original, this, [separator]);
            const items = ObjectOf(this);
            const n = num(items.length);
            const length = n > 0 ? (n < 9007199254740991 ? floor(n) : 9007199254740991) : 0;
            const glue = separator === undefined ? ',' : `${separator}`;
            const parts = [];
            let size = length > 0 ? glue.length * (length - 1) : 0;
            for (let k = 0; k < length; k++) {
              const item = items[k];
              parts[k] = item === undefined || item === null ? '' : `${item}`;
              size += parts[k].length;
            }
            charge(size * 2);
            return apply(original, parts, [glue]);
          } }).join);

          // The serializer builds its text in pooled memory the engine's limit does not see: a
          // replacer counts the text as it goes (after the caller's own, if any). A list of keys as
          // replacer has no function to wrap and is left as it is.
          guardMethod(JSON, 'stringify', original => ({ stringify(value, replacer, space) {
            if (isArray(replacer)) return apply(original, this, [value, replacer, space]);
            const own = typeof replacer === 'function' ? replacer : undefined;
            const budget = remaining() / 2;
            let characters = 0;
            const counting = function (key, item) {
              const result = own === undefined ? item : apply(own, this, [key, item]);
              characters += key.length + (typeof result === 'string' ? result.length : 0) + 8;
              if (characters > budget) charge(characters * 2);
              return result;
            };
            return apply(original, this, [value, counting, space]);
          } }).stringify);

          // A second realm would bring unguarded built-ins; shared memory serves no second agent here,
          // and Atomics.wait on it could only block the thread until its timeout, past every limit.
          delete globalThis.ShadowRealm;
          delete globalThis.SharedArrayBuffer;

          // Typed arrays and ArrayBuffer are guarded together, on first use of any of them: an
          // instance of one leads to the others (buffer.constructor), and most scripts use none.
          const typedNames = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
            'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'];
          let guarded = false;
          const guardAll = () => {
            if (guarded) return;
            guarded = true;
            const typedLength = getOwnPropertyDescriptor(getPrototypeOf(intrinsic('Int8Array').prototype), 'length').get;
            const bufferMaxLength = getOwnPropertyDescriptor(intrinsic('ArrayBuffer').prototype, 'maxByteLength').get;
            const guardConstructor = (name, prepare) => {
              const C = intrinsic(name);
              const proxy = new ProxyOf(C, { construct: (target, args, newTarget) => construct(target, prepare(args), newTarget) });
              replace(C.prototype, 'constructor', proxy);
              defineProperty(globalThis, name, global(proxy));
              return C;
            };

            for (let i = 0; i < typedNames.length; i++) {
              const C = guardConstructor(typedNames[i], args => {
                const size = C.BYTES_PER_ELEMENT;
                const source = args.length > 0 ? args[0] : undefined;
                if (!isObject(source)) {
                  const n = most(num(source), maxLength, 'a typed array', 'elements');
                  if (finite(n)) charge(n * size);
                  return [n];
                }
                const bytes = read(bufferMaxLength, source);
                if (bytes !== undefined) {
                  const offset = args.length > 1 ? num(args[1]) : 0;
                  const length = args.length > 2 && args[2] !== undefined ? most(num(args[2]), maxLength, 'a typed array', 'elements') : undefined;
                  if (length === undefined && typeof offset === 'number') {
                    most(floor((bytes - (offset > 0 ? offset : 0)) / size), maxLength, 'a typed array over an ArrayBuffer', 'elements');
                  }
                  return [source, offset, length];
                }
                const length = read(typedLength, source);
                if (length !== undefined) {
                  charge(length * size);
                  return [source];
                }
                const list = apply(arrayFrom, ArrayOf, [source]);
                most(list.length, maxLength, 'a typed array', 'elements');
                charge(list.length * size);
                setPrototypeOf(list, null);
                return [list];
              });
              const decoding = perCharacter => original => function (string, options) {
                if (typeof string === 'string') {
                  const n = most(floor(string.length * perCharacter), maxLength, 'a typed array', 'elements');
                  charge(n);
                }
                return apply(original, this, [string, options]);
              };
              guardMethod(C, 'fromBase64', decoding(3 / 4));
              guardMethod(C, 'fromHex', decoding(1 / 2));
            }

            const ArrayBufferOf = guardConstructor('ArrayBuffer', args => {
              const n = most(num(args.length > 0 ? args[0] : undefined), maxBytes, 'an ArrayBuffer', 'bytes');
              let options = args.length > 1 ? args[1] : undefined;
              if (isObject(options)) {
                const max = options.maxByteLength;
                options = max === undefined ? undefined : { maxByteLength: most(num(max), maxBytes, 'an ArrayBuffer', 'bytes') };
              }
              if (finite(n)) charge(n);
              return [n, options];
            });
            guardMethod(ArrayBufferOf.prototype, 'resize', original => function (newLength) {
              const n = num(newLength);
              if (finite(n)) charge(n);
              return apply(original, this, [n]);
            });
            const transferring = original => function (newLength) {
              const n = newLength === undefined ? read(bufferMaxLength, this) : most(num(newLength), maxBytes, 'an ArrayBuffer', 'bytes');
              if (finite(n)) charge(n);
              return apply(original, this, newLength === undefined ? [] : [n]);
            };
            guardMethod(ArrayBufferOf.prototype, 'transfer', transferring);
            guardMethod(ArrayBufferOf.prototype, 'transferToFixedLength', transferring);
          };

          const names = [...typedNames, 'ArrayBuffer'];
          for (let i = 0; i < names.length; i++) {
            const name = names[i];
            defineProperty(globalThis, name, {
              get() { guardAll(); return globalThis[name]; },
              set(value) { guardAll(); defineProperty(globalThis, name, global(value)); },
              enumerable: false,
              configurable: true
            });
          }
        })
        """);

    private readonly SandboxLimits _limits;
    private long _start = GC.GetAllocatedBytesForCurrentThread();

    private JsBuiltInLimits(SandboxLimits limits) => _limits = limits;

    public static JsBuiltInLimits Install(Engine engine, SandboxLimits limits)
    {
        var guard = new JsBuiltInLimits(limits);
        var install = engine.Evaluate(in Wrappers);
        engine.Invoke(install,
            new ClrFunction(engine, "charge", guard.Charge),
            new ClrFunction(engine, "refuse", Refuse),
            limits.ArrayLength,
            new ClrFunction(engine, "intrinsic", (_, arguments) => Intrinsic(engine.Intrinsics, arguments[0].ToString())),
            new ClrFunction(engine, "remaining", (_, _) => guard.Remaining));
        return guard;
    }

    /// <summary>What is left of <see cref="SandboxLimits.MemoryBytes"/> in this evaluation.</summary>
    public long Remaining => _limits.MemoryBytes - (GC.GetAllocatedBytesForCurrentThread() - _start);

    /// <summary>
    /// A replacer for Jint's serializer that counts the text a value will make and stops it at the
    /// memory left, before the text is built: the serializer builds it in pooled memory the
    /// engine's limit does not see.
    /// </summary>
    public JsValue CountingReplacer(Engine engine)
    {
        var budget = Remaining / 2;
        long characters = 0;
        return new ClrFunction(engine, "", (_, arguments) =>
        {
            var value = arguments.At(1);
            characters += arguments.At(0).ToString().Length + (value is JsString text ? text.Length : 0) + 8;
            if (characters > budget)
            {
                throw new MemoryLimitExceededException($"the value as JSON would need more than the {Math.Max(budget * 2, 0)} bytes left of JsMemoryBytes");
            }

            return value;
        });
    }

    /// <summary>Starts counting allocations for one evaluation, as the engine's memory limit does.</summary>
    public void Begin() => _start = GC.GetAllocatedBytesForCurrentThread();

    private JsValue Charge(JsValue self, JsValue[] arguments)
    {
        var bytes = arguments[0].AsNumber();
        var used = GC.GetAllocatedBytesForCurrentThread() - _start;
        if (bytes > _limits.MemoryBytes - used)
        {
            throw new MemoryLimitExceededException(
                $"allocating {bytes:0} bytes more after {used} would go over JsMemoryBytes ({_limits.MemoryBytes})");
        }

        return JsValue.Undefined;
    }

    /// <summary>The built-in constructors by name; asking is what creates them in the engine, so only a script that uses them pays.</summary>
    private static JsValue Intrinsic(Intrinsics intrinsics, string name) => name switch
    {
        "ArrayBuffer" => intrinsics.ArrayBuffer,
        "Int8Array" => intrinsics.Int8Array,
        "Uint8Array" => intrinsics.Uint8Array,
        "Uint8ClampedArray" => intrinsics.Uint8ClampedArray,
        "Int16Array" => intrinsics.Int16Array,
        "Uint16Array" => intrinsics.Uint16Array,
        "Int32Array" => intrinsics.Int32Array,
        "Uint32Array" => intrinsics.Uint32Array,
        "Float16Array" => intrinsics.Float16Array,
        "Float32Array" => intrinsics.Float32Array,
        "Float64Array" => intrinsics.Float64Array,
        "BigInt64Array" => intrinsics.BigInt64Array,
        "BigUint64Array" => intrinsics.BigUint64Array,
        _ => JsValue.Undefined,
    };

    private static JsValue Refuse(JsValue self, JsValue[] arguments) =>
        throw new MemoryLimitExceededException($"{arguments[0]} is longer than JsArrayLength allows ({arguments[1]})");
}
