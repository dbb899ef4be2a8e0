package io.sysfleet.cli;

import io.sysfleet.transport.HostKeyPolicy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Enum options written as their words ({@code toString()}: {@code accept-new}, not {@code ACCEPT_NEW}): one
 * converter and completion-candidate list per enum, so {@code --help} shows {@code ${COMPLETION-CANDIDATES}},
 * shells can complete them, and a wrong word is one clear usage error naming the right ones.
 */
abstract class EnumWords<E extends Enum<E>> implements ITypeConverter<E>, Iterable<String> {
    private final Class<E> type;

    EnumWords(Class<E> type) {
        this.type = type;
    }

    private List<String> words() {
        return Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
    }

    @Override
    public E convert(String value) {
        for (E e : type.getEnumConstants()) {
            if (e.toString().equals(value)) {
                return e;
            }
        }
        throw new TypeConversionException("expected one of " + String.join(", ", words()) + ", got '" + value + "'");
    }

    @Override
    public Iterator<String> iterator() {
        return words().iterator();
    }

    /** {@code --host-key-policy}. */
    static final class HostKeyPolicies extends EnumWords<HostKeyPolicy> {
        HostKeyPolicies() {
            super(HostKeyPolicy.class);
        }
    }

    /** {@code --progress}. */
    static final class ProgressModes extends EnumWords<FleetOptions.ProgressMode> {
        ProgressModes() {
            super(FleetOptions.ProgressMode.class);
        }
    }
}
