# sysfleet's playbook oracle: a callback plugin for the real ansible-playbook (PlaybookOracleTest).
#
# 1. It records, per host, every task result (and every loop item's result) as one JSON line in
#    $SYSFLEET_ORACLE_DIR/events.jsonl: the task's file:line, name, resolved module, whether it is a handler,
#    ok/changed/failed/skipped, the loop item's label, and the arguments the sysctl test double received.
# 2. TEST DOUBLES for every module that is not sysctl and not a controller-side keyword module: the oracle runs
#    its hosts with ansible_connection=local, i.e. on this machine, where a real package install, modprobe,
#    template to /etc or `command: sysctl -p` must not run. Such a task reports ok (changed: false) without
#    doing anything: the host is taken to be converged for everything sysfleet does not run, which is also
#    what sysfleet assumes when it leaves those tasks for ansible-playbook. `gather_facts`/`setup` report the
#    facts given per host in $SYSFLEET_ORACLE_DIR/facts.json (so one machine can play CentOS 5 and Debian 12).
#    These doubles are put in by wrapping TaskExecutor._get_action_handler_with_module_context
#    (ansible-core 2.14), which is how this plugin depends on Ansible's internals.
from __future__ import annotations

import json
import os

from ansible.executor import task_executor
from ansible.playbook.handler import Handler
from ansible.plugins.action import ActionBase
from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
    name: sysfleet_oracle
    type: aggregate
    short_description: records results for sysfleet's playbook oracle, with test doubles for other modules
    description: test double and recorder; see the comment at the top of the file
'''

# controller-side modules that change nothing on a host: these run for real
RUN_FOR_REAL = {
    'ansible.builtin.debug', 'ansible.builtin.set_fact', 'ansible.builtin.assert', 'ansible.builtin.fail',
    'ansible.builtin.include_vars', 'ansible.builtin.group_by', 'ansible.builtin.meta',
    'ansible.builtin.set_stats', 'ansible.posix.sysctl',
}
FACT_MODULES = {'ansible.builtin.gather_facts', 'ansible.builtin.setup'}
COMMANDS = {'ansible.builtin.command', 'ansible.builtin.shell', 'ansible.builtin.raw', 'ansible.builtin.script'}


def oracle_dir():
    return os.environ['SYSFLEET_ORACLE_DIR']


class StandIn(ActionBase):
    """TEST DOUBLE for a module the oracle must not run on this machine."""
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(StandIn, self).run(tmp, task_vars)
        action = self._task.resolved_action or self._task.action
        if action in FACT_MODULES:
            with open(os.path.join(oracle_dir(), 'facts.json')) as f:
                facts = json.load(f).get(task_vars['inventory_hostname'], {})
            result.update(ansible_facts=dict(('ansible_' + k, v) for k, v in facts.items()), changed=False)
            return result
        # nothing but ok (a command: rc 0 and no output). sysfleet does not know what such a task returns: a later
        # task that reads its registered result is unknown to sysfleet.
        result.update(changed=False, sysfleet_standin=action, msg='sysfleet oracle test double: ' + action + ' not run')
        if action in COMMANDS:
            # a command that succeeded without output, as on a converged host
            result.update(rc=0, stdout='', stderr='', stdout_lines=[], stderr_lines=[])
        return result


_original = task_executor.TaskExecutor._get_action_handler_with_module_context


def _with_standins(self, connection, templar):
    handler, module = _original(self, connection, templar)
    action = self._task.resolved_action or self._task.action
    if action in RUN_FOR_REAL:
        return handler, module
    standin = StandIn(self._task, connection, self._play_context, self._loader, templar,
                      self._shared_loader_obj)
    return standin, module


task_executor.TaskExecutor._get_action_handler_with_module_context = _with_standins


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'sysfleet_oracle'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._out = open(os.path.join(oracle_dir(), 'events.jsonl'), 'a')
        self._items = {}

    def _write(self, kind, result, status, item=None):
        task = result._task
        r = result._result
        host = result._host.get_name()
        rec = dict(kind=kind, host=host, path=task.get_path(), name=task.get_name(),
                   action=task.resolved_action or task.action, handler=isinstance(task, Handler), status=status,
                   ignored=bool(getattr(task, 'ignore_errors', False)) and status == 'failed',
                   args=r.get('sysfleet_args'), standin=r.get('sysfleet_standin'), msg=None)
        if status == 'failed':
            rec['msg'] = str(r.get('msg', ''))[:500]
        if kind == 'item':
            key = (host, task._uuid)
            rec['index'] = self._items.get(key, 0)
            self._items[key] = rec['index'] + 1
            label = r.get('_ansible_item_label', r.get('item'))
            rec['label'] = label if isinstance(label, (str, int, float, bool)) or label is None else json.dumps(
                label, sort_keys=True, default=str)
        self._out.write(json.dumps(rec, sort_keys=True, default=str) + '\n')
        self._out.flush()

    def _status(self, result, default):
        if default == 'ok' and result._result.get('changed', False):
            return 'changed'
        return default

    def v2_runner_on_ok(self, result):
        self._write('task', result, self._status(result, 'ok'))

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write('task', result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._write('task', result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._write('task', result, 'unreachable')

    def v2_runner_item_on_ok(self, result):
        self._write('item', result, self._status(result, 'ok'))

    def v2_runner_item_on_failed(self, result):
        self._write('item', result, 'failed')

    def v2_runner_item_on_skipped(self, result):
        self._write('item', result, 'skipped')
