package io.sysfleet.config;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SourceLocation;

/**
 * The text is not YAML at all (the scanner or parser gave up), as opposed to YAML that sysfleet refuses
 * (duplicate keys, merge keys, unknown tags). An inventory file that is not YAML may still be INI.
 */
public final class YamlSyntaxException extends ConfigException {
    public YamlSyntaxException(SourceLocation location, String message) {
        super(location, message);
    }
}
