# TEST DOUBLE of ansible.posix.sysctl for sysfleet's playbook oracle (PlaybookOracleTest).
#
# Why a double: the real module edits /etc/sysctl.conf and runs `sysctl -p` on the managed host, and the oracle
# runs every host with ansible_connection=local, i.e. on this machine. This action plugin runs on the
# controller instead and never touches the machine. It
#  - validates the arguments with the real module's argument_spec (aliases key/val, types, choices, required_if),
#    so the values it sees are converted exactly as the real module would see them;
#  - decides changed/ok with the real module's rules (ansible.posix 1.5, SysctlModule.process) against a
#    per-host state: the text of each sysctl file (read and rewritten as the module reads and rewrites it)
#    and the live values, kept in $SYSFLEET_ORACLE_DIR/state/<inventory_hostname>.json;
#  - updates that state as the module would (file rewritten, sysctl -w for sysctl_set, sysctl -p on reload),
#    except in check mode;
#  - returns the arguments it received in `sysfleet_args`, which the oracle callback records per host and item.
from __future__ import annotations

import json
import os

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.parsing.convert_bool import BOOLEANS_FALSE, BOOLEANS_TRUE
from ansible.plugins.action import ActionBase

ARGUMENT_SPEC = dict(
    name=dict(aliases=['key'], required=True),
    value=dict(aliases=['val'], required=False, type='str'),
    state=dict(default='present', choices=['present', 'absent']),
    reload=dict(default=True, type='bool'),
    sysctl_set=dict(default=False, type='bool'),
    ignoreerrors=dict(default=False, type='bool'),
    sysctl_file=dict(default='/etc/sysctl.conf', type='path'),
)
REQUIRED_IF = [('state', 'present', ['value'])]


def parse_value(value):
    if value is None:
        return ''
    if isinstance(value, bool):
        return '1' if value else '0'
    if isinstance(value, str):
        if value.lower() in BOOLEANS_TRUE:
            return '1'
        if value.lower() in BOOLEANS_FALSE:
            return '0'
        return value.strip()
    return value


def values_equal(a, b):
    if a is None or b is None:
        return False
    a = a.split()
    b = b.split()
    return len(a) == len(b) and all(i == j for i, j in zip(a, b))


def read_lines(text):
    """SysctlModule.read_sysctl_file: the stripped lines and the values by key (the last one wins)."""
    lines = []
    values = {}
    for line in (text or '').splitlines(True):
        line = line.strip()
        lines.append(line)
        if not line or line.startswith(('#', ';')) or '=' not in line:
            continue
        k, v = line.split('=', 1)
        values[k.strip()] = v.strip()
    return lines, values


def fix_lines(lines, name, value, state):
    """SysctlModule.fix_lines + write_sysctl: the file's new text."""
    checked = []
    out = []
    for line in lines:
        if not line.strip() or line.strip().startswith(('#', ';')) or '=' not in line:
            out.append(line)
            continue
        k, v = line.strip().split('=', 1)
        k = k.strip()
        v = v.strip()
        if k not in checked:
            checked.append(k)
            if k == name:
                if state == 'present':
                    out.append('%s=%s' % (k, value))
            else:
                out.append('%s=%s' % (k, v))
    if name not in checked and state == 'present':
        out.append('%s=%s' % (name, value))
    return ''.join(l.strip() + '\n' for l in out)


def state_path(host):
    return os.path.join(os.environ['SYSFLEET_ORACLE_DIR'], 'state', host + '.json')


def load_state(host):
    try:
        with open(state_path(host)) as f:
            state = json.load(f)
    except FileNotFoundError:
        state = {}
    state.setdefault('files', {})
    state.setdefault('live', {})
    return state


def save_state(host, state):
    path = state_path(host)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(state, f, indent=1, sort_keys=True)
    os.replace(tmp, path)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        host = task_vars['inventory_hostname']
        validator = ArgumentSpecValidator(ARGUMENT_SPEC, required_if=REQUIRED_IF)
        validated = validator.validate(dict(self._task.args))
        if validated.error_messages:
            raise AnsibleActionFail('; '.join(validated.error_messages))
        args = validated.validated_parameters
        name = args['name'].strip()
        value = parse_value(args['value'])
        path = args['sysctl_file']
        check = bool(self._play_context.check_mode)

        state = load_state(host)
        lines, file_values = read_lines(state['files'].get(path))
        live = state['live']
        # a key the fixture gives no live value has the kernel's value "0" (the harness tells sysfleet the same)
        proc_value = live.get(name, '0')
        current = file_values.get(name)

        changed = False
        write_file = False
        set_proc = False
        if current is None and args['state'] == 'present':
            changed = write_file = True
        elif current is None and args['state'] == 'absent':
            changed = False
        elif current and args['state'] == 'absent':
            changed = write_file = True
        elif current != value:
            changed = write_file = True
        elif args['reload']:
            if proc_value is None or not values_equal(proc_value, value):
                changed = True
        if args['sysctl_set'] and args['state'] == 'present':
            if proc_value is None:
                changed = True
            elif not values_equal(proc_value, value):
                changed = set_proc = True

        if not check:
            if set_proc:
                live[name] = value
            if write_file:
                state['files'][path] = fix_lines(lines, name, value, args['state'])
            if changed and args['reload']:
                # sysctl -p FILE: every key of the file, in order
                live.update(read_lines(state['files'].get(path))[1])
            save_state(host, state)

        result.update(
            changed=changed,
            sysfleet_args=dict(name=name, value=value if args['state'] == 'present' else None,
                               state=args['state'], reload=args['reload'], sysctl_set=args['sysctl_set'],
                               ignoreerrors=args['ignoreerrors'], sysctl_file=path, check_mode=check),
        )
        return result
