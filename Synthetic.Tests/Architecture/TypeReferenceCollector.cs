using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Synthetic.Tests.Architecture;

/// <summary>One use of a type of the inspected module by a type of the same module.</summary>
/// <param name="From">The top-level type whose code holds the reference (nested and compiler-generated types count for it).</param>
/// <param name="To">The top-level type referenced (a nested type counts for its outermost type).</param>
/// <param name="Site">Where the reference sits, for the failure message (e.g. "field _store", "body of Run").</param>
internal sealed record TypeUse(TypeDefinition From, TypeReference To, string Site);

/// <summary>
/// Walks a compiled module with Mono.Cecil and lists, for every type, the types of the same module it references:
/// base type, interfaces, fields, properties, events, method signatures, generic arguments and constraints,
/// custom attributes (and typeof arguments), explicit overrides, locals, catch types and every operand of every
/// instruction (call, newobj, ldfld, ldtoken, castclass, isinst, …). Types of other assemblies are ignored.
/// </summary>
internal sealed class TypeReferenceCollector(ModuleDefinition module)
{
    private readonly List<TypeUse> _uses = [];

    public IReadOnlyList<TypeUse> Collect()
    {
        _uses.Clear();
        foreach (var type in module.GetTypes())
        {
            Visit(type, (TypeDefinition)Outermost(type));
        }

        return _uses;
    }

    private void Visit(TypeDefinition type, TypeDefinition owner)
    {
        var name = type.Name;
        Attributes(type.CustomAttributes, owner, "attribute of " + name);
        Add(type.BaseType, owner, "base type of " + name);
        foreach (var implementation in type.Interfaces)
        {
            Add(implementation.InterfaceType, owner, "interface of " + name);
            Attributes(implementation.CustomAttributes, owner, "interface attribute of " + name);
        }

        GenericParameters(type.GenericParameters, owner, name);
        foreach (var field in type.Fields)
        {
            Add(field.FieldType, owner, $"field {name}.{field.Name}");
            Attributes(field.CustomAttributes, owner, $"attribute of field {name}.{field.Name}");
        }

        foreach (var property in type.Properties)
        {
            Add(property.PropertyType, owner, $"property {name}.{property.Name}");
            Attributes(property.CustomAttributes, owner, $"attribute of property {name}.{property.Name}");
            foreach (var parameter in property.Parameters)
            {
                Add(parameter.ParameterType, owner, $"indexer {name}.{property.Name}");
            }
        }

        foreach (var @event in type.Events)
        {
            Add(@event.EventType, owner, $"event {name}.{@event.Name}");
            Attributes(@event.CustomAttributes, owner, $"attribute of event {name}.{@event.Name}");
        }

        foreach (var method in type.Methods)
        {
            Method(method, owner, $"{name}.{method.Name}");
        }
    }

    private void Method(MethodDefinition method, TypeDefinition owner, string where)
    {
        Attributes(method.CustomAttributes, owner, "attribute of " + where);
        Add(method.ReturnType, owner, "return type of " + where);
        Attributes(method.MethodReturnType.CustomAttributes, owner, "return attribute of " + where);
        foreach (var parameter in method.Parameters)
        {
            Add(parameter.ParameterType, owner, $"parameter {parameter.Name} of {where}");
            Attributes(parameter.CustomAttributes, owner, $"attribute of parameter {parameter.Name} of {where}");
        }

        GenericParameters(method.GenericParameters, owner, where);
        foreach (var overridden in method.Overrides)
        {
            MethodReference(overridden, owner, "override in " + where);
        }

        if (!method.HasBody)
        {
            return;
        }

        foreach (var variable in method.Body.Variables)
        {
            Add(variable.VariableType, owner, "local in " + where);
        }

        foreach (var handler in method.Body.ExceptionHandlers)
        {
            Add(handler.CatchType, owner, "catch in " + where);
        }

        foreach (var instruction in method.Body.Instructions)
        {
            Operand(instruction, owner, $"{instruction.OpCode.Name} in {where}");
        }
    }

    private void Operand(Instruction instruction, TypeDefinition owner, string site)
    {
        switch (instruction.Operand)
        {
            case TypeReference type:
                Add(type, owner, site);
                break;
            case MethodReference method:
                MethodReference(method, owner, site);
                break;
            case FieldReference field:
                Add(field.DeclaringType, owner, site);
                Add(field.FieldType, owner, site);
                break;
            case CallSite callSite:
                Add(callSite.ReturnType, owner, site);
                foreach (var parameter in callSite.Parameters)
                {
                    Add(parameter.ParameterType, owner, site);
                }

                break;
        }
    }

    private void MethodReference(MethodReference method, TypeDefinition owner, string site)
    {
        Add(method.DeclaringType, owner, site);
        Add(method.ReturnType, owner, site);
        foreach (var parameter in method.Parameters)
        {
            Add(parameter.ParameterType, owner, site);
        }

        if (method is GenericInstanceMethod generic)
        {
            foreach (var argument in generic.GenericArguments)
            {
                Add(argument, owner, site);
            }
        }
    }

    private void GenericParameters(IEnumerable<GenericParameter> parameters, TypeDefinition owner, string where)
    {
        foreach (var parameter in parameters)
        {
            Attributes(parameter.CustomAttributes, owner, $"attribute of generic parameter {parameter.Name} of {where}");
            foreach (var constraint in parameter.Constraints)
            {
                Add(constraint.ConstraintType, owner, $"constraint on {parameter.Name} of {where}");
            }
        }
    }

    private void Attributes(IEnumerable<CustomAttribute> attributes, TypeDefinition owner, string site)
    {
        foreach (var attribute in attributes)
        {
            MethodReference(attribute.Constructor, owner, site);
            foreach (var argument in attribute.ConstructorArguments)
            {
                AttributeArgument(argument, owner, site);
            }

            foreach (var named in attribute.Fields.Concat(attribute.Properties))
            {
                AttributeArgument(named.Argument, owner, site);
            }
        }
    }

    private void AttributeArgument(CustomAttributeArgument argument, TypeDefinition owner, string site)
    {
        Add(argument.Type, owner, site);
        switch (argument.Value)
        {
            case TypeReference type:
                Add(type, owner, "typeof in " + site);
                break;
            case CustomAttributeArgument boxed:
                AttributeArgument(boxed, owner, site);
                break;
            case CustomAttributeArgument[] array:
                foreach (var element in array)
                {
                    AttributeArgument(element, owner, site);
                }

                break;
        }
    }

    private void Add(TypeReference? type, TypeDefinition owner, string site)
    {
        switch (type)
        {
            case null or GenericParameter:
                return;
            case GenericInstanceType generic:
                Add(generic.ElementType, owner, site);
                foreach (var argument in generic.GenericArguments)
                {
                    Add(argument, owner, site);
                }

                return;
            case IModifierType modified:
                Add(modified.ModifierType, owner, site);
                Add(modified.ElementType, owner, site);
                return;
            case FunctionPointerType pointer:
                Add(pointer.ReturnType, owner, site);
                foreach (var parameter in pointer.Parameters)
                {
                    Add(parameter.ParameterType, owner, site);
                }

                return;
            case TypeSpecification specification:
                // Arrays, by-ref, pointers, pinned, sentinels.
                Add(specification.ElementType, owner, site);
                return;
        }

        var outer = Outermost(type);
        if (outer.Scope?.MetadataScopeType == MetadataScopeType.ModuleDefinition)
        {
            _uses.Add(new TypeUse(owner, outer, site));
        }
    }

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is { } declaring)
        {
            type = declaring;
        }

        return type;
    }
}
