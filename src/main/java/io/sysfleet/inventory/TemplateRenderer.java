package io.sysfleet.inventory;

/**
 * The template engine as connection variables see it: renders one Jinja2 template for a host (the engine
 * supplies the host's variables and Ansible's magic variables). The project's one template engine implements
 * it; {@link ConnectionVars#resolve(Host, TemplateRenderer)} is its only caller here.
 */
@FunctionalInterface
public interface TemplateRenderer {
    /**
     * The rendered value (a string, or what the template evaluates to, as Ansible's templating returns it).
     *
     * @throws RuntimeException with a one-line message when the template cannot be rendered
     */
    Object render(String template, Host host);
}
