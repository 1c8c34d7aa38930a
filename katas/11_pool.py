"""Kata 11 · Let the pool do it · 交给进程池

THE STORY
Main has had enough of queues, sentinels and joins. It hires a pool of
diners: `concurrent.futures.ProcessPoolExecutor` starts the processes,
hands each one a bun, brings the result back in a future, and shuts down
cleanly at the end of the `with` block. Main submits one task per bun,
`diner(bun, shop)`, then goes through the futures in the order the buns
were cooked and serves each result with `shop.served(result)`. But some
buns are bad: `shop.eat(bun)` raises `BadBun` in the diner's process. The
pool carries that error home inside the task's future, and main, which
only serves the futures that did not fail, never looks at it.

THE GOAL
Every good bun is eaten once and served in the order it was cooked; every
bad bun's error reaches main, which hands it to `shop.handle_error(error)`;
the program ends by itself.

WHAT IS BROKEN
Run `pytest` and you will see WRONG: a diner choked on a bad bun, and main
never heard of it.

THE CONTRACT (the tests call these; keep the names and parameters)
    open_shop(shop)        main: in a ProcessPoolExecutor with
                           shop.diners workers, submits diner(bun, shop)
                           for every bun of shop.buns(); then, in the
                           order the buns were cooked, serves each result
                           with shop.served(result), or hands the task's
                           error to shop.handle_error(error)
    diner(bun, shop)       calls shop.eat(bun) (a bad bun raises BadBun)
                           and returns the bun
A bun can be any value, even 0 or "". A task must be a function defined at
the top of the file: the pool sends it to its processes by name.

RUN JUST THIS KATA
    pytest --kata 11

------------------------------------------------------------------------
故事
main 受够了队列、哨兵和 join。它雇了一池子食客：`concurrent.futures.ProcessPoolExecutor`
负责启动进程、把包子交给每个进程、把结果装进 future 带回来，并在 `with` 块结束时干净地关门。
main 为每个包子提交一个任务 `diner(bun, shop)`，然后按包子做出来的顺序逐个查看 future，
用 `shop.served(result)` 把结果端上桌。可有些包子是坏的：`shop.eat(bun)` 会在食客的进程里抛出
`BadBun`。进程池把这个错误装在任务的 future 里带回家，而 main 只端出没出错的 future，
从来不看那个错误。

目标
每个好包子都被吃掉一次，并按做出来的顺序端上桌；每个坏包子的错误都送到 main，由 main 交给
`shop.handle_error(error)`；程序自己结束。

哪里坏了
运行 `pytest`，你会看到 WRONG：有位食客被坏包子噎住了，main 却从来不知道。

约定（测试会调用这些函数；名字和参数不要改）
    open_shop(shop)        main：在一个有 shop.diners 个工作进程的 ProcessPoolExecutor 里，为
                           shop.buns() 的每个包子提交 diner(bun, shop)；然后按包子做出来的顺序，
                           用 shop.served(result) 端出每个结果，或把任务的错误交给
                           shop.handle_error(error)
    diner(bun, shop)       调用 shop.eat(bun)（坏包子会抛出 BadBun），然后返回这个包子
包子可以是任何值，甚至是 0 或 ""。任务必须是定义在文件顶层的函数：进程池是按名字把它送到各个进程的。

只运行这个练习
    pytest --kata 11
"""
from concurrent.futures import ProcessPoolExecutor


def diner(bun, shop):
    shop.eat(bun)  # a bad bun raises BadBun here: the pool carries it home in this task's future
    return bun


def open_shop(shop):
    with ProcessPoolExecutor(max_workers=shop.diners) as pool:
        futures = [pool.submit(diner, bun, shop) for bun in shop.buns()]
        for future in futures:  # in the order the buns were cooked
            # TODO: a task that failed is skipped here, and its error with it. Ask the future for its result:
            # result() raises the task's error, for main to hand to shop.handle_error(error).
            # (失败的任务在这里被跳过了，它的错误也一起丢了。向 future 要结果：result() 会抛出任务的错误，
            # 由 main 交给 shop.handle_error(error)。)
            if future.exception() is None:
                shop.served(future.result())


if __name__ == "__main__":  # python katas/NN_slug.py: one run of this kata through the dojo, and its report
    from dojo.learner import run_file
    run_file(__file__)
