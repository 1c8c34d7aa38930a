"""Kata 11 · Let the pool do it: reference solution.

The pool does the queueing, the joining and the shutting down. What it
cannot do is decide what an error means: a task's exception travels home
inside its future, and ``future.result()`` raises it in main. So main asks
every future for its result, in the order it submitted them (the order the
buns were cooked, whatever order they finish in: ``as_completed()`` would
give the finishing order), and hands each error to ``shop.handle_error()``.

The task is a function defined at the top of the module: the pool pickles
what it sends to its processes, and a lambda or a function defined inside
another cannot be pickled.
"""
from concurrent.futures import ProcessPoolExecutor


def diner(bun, shop):
    shop.eat(bun)  # a bad bun raises BadBun here: the pool carries it home in this task's future
    return bun


def open_shop(shop):
    with ProcessPoolExecutor(max_workers=shop.diners) as pool:
        futures = [pool.submit(diner, bun, shop) for bun in shop.buns()]
        for future in futures:  # in the order the buns were cooked, whatever order they finish in
            try:
                shop.served(future.result())  # raises the task's own error
            except Exception as error:
                shop.handle_error(error)
