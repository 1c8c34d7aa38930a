"""Kata 15 · Every start method · 每一种启动方式

THE STORY
This shop was written on Linux, where Python up to 3.13 starts a process
with fork, and there it works. Then it ran on a Mac (spawn), and on Python
3.14 for Linux (forkserver), and it crashed before the first bun.

Under fork a child is a copy of main: every function, variable and queue of
main is already there. Under spawn and forkserver a child is a brand new
Python: main pickles the child's target and arguments to send them over,
and the child imports this file again, by its path, to find the functions.

This file is run as a script, as `python katas/15_start_methods.py` runs
it: main runs the whole file as `__main__`, and its last three lines open
today's shop (the test's, in a test).

THE GOAL
The same file works under fork, spawn and forkserver: every bun is eaten
once, every diner stops at its None and goes home.

WHAT IS BROKEN
Run `pytest` and you will see CRASH under spawn and forkserver, and a pass
under fork: the report names the start method, the error and the line.
Keep the last three lines as they are: what only main must do belongs under
`if __name__ == "__main__":`.

THE CONTRACT (the tests call these; keep the names and parameters)
    open_shop(shop)        main: starts shop.cooks cooks and shop.diners
                           diners, stops each diner with a None, joins all
    cook(counter, shop)    puts every bun of shop.buns() on the counter
    diner(counter, shop)   takes buns off the counter and calls shop.eat(bun)
                           until it gets None

RUN JUST THIS KATA
    pytest --kata 15

------------------------------------------------------------------------
故事
这家店是在 Linux 上写的：Python 3.13 及以前，Linux 用 fork 启动进程，在那里它能运行。后来它在 Mac 上
（spawn）、在 Python 3.14 的 Linux 上（forkserver）运行，第一个包子还没做就崩溃了。

fork 出来的子进程是 main 的一份拷贝：main 的每个函数、变量和队列它都已经有了。spawn 和 forkserver
出来的子进程是一个全新的 Python：main 要用 pickle 把子进程的 target 和参数传过去，子进程还要按路径
重新导入这个文件，才能找到那些函数。

这个文件会像脚本一样运行，和 `python katas/15_start_methods.py` 一样：main 把整个文件当作 `__main__` 来运行，
文件最后三行会开今天的店（测试里就是测试安排的那家店）。

目标
同一个文件在 fork、spawn 和 forkserver 下都能运行：每个包子都只被吃一次，每位食客拿到自己的 None 就停下回家。

哪里坏了
运行 `pytest`，你会看到在 spawn 和 forkserver 下是 CRASH，在 fork 下却通过了：报告会写明启动方式、错误和那一行。
最后三行保持原样：只有 main 才该做的事，要放在 `if __name__ == "__main__":` 下面。

约定（测试会调用这些；名字和参数不要改）
    open_shop(shop)        main：启动 shop.cooks 位厨师和 shop.diners 位食客，
                           给每位食客一个 None 让它停下，再 join 所有人
    cook(counter, shop)    把 shop.buns() 的每个包子放到柜台上
    diner(counter, shop)   从柜台上拿包子并调用 shop.eat(bun)，直到拿到 None

只运行这个练习
    pytest --kata 15
"""
import multiprocessing



def cook(counter, shop):
    for bun in shop.buns():
        counter.put(bun)


def diner(counter, shop):
    while (bun := counter.get()) is not None:
        shop.eat(bun)


def open_shop(shop):
    counter = multiprocessing.Queue()
    cooks = [multiprocessing.Process(target=cook, args=(counter, shop)) for _ in range(shop.cooks)]
    # TODO: this works under fork only: what can a new Python (spawn, forkserver) not be sent?
    # (这只在 fork 下能运行：什么东西没法传给一个新的 Python（spawn、forkserver）？)
    diners = [multiprocessing.Process(target=lambda: diner(counter, shop)) for _ in range(shop.diners)]
    for person in cooks + diners:
        person.start()
    for a_cook in cooks:
        a_cook.join()
    for _ in diners:
        counter.put(None)
    for a_diner in diners:
        a_diner.join()
    print("Every bun is eaten. The shop is closed.")


if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report
    from dojo.learner import run_file
    run_file(__file__)
