#!/usr/bin/python
# TEST DOUBLE: never executed. The action plugin of the same name (plugins/action/sysctl.py) handles every
# ansible.posix.sysctl task on the controller; this file exists so that Ansible resolves the module name
# (short name `sysctl`, `ansible.builtin.sysctl` and `ansible.posix.sysctl`) to this collection.
DOCUMENTATION = r'''
module: sysctl
short_description: sysfleet oracle test double of ansible.posix.sysctl
description: Records its arguments and reports changed/ok from a per-host state file.
'''


def main():
    raise SystemExit("the sysfleet oracle test double of ansible.posix.sysctl runs as an action plugin only")


if __name__ == '__main__':
    main()
